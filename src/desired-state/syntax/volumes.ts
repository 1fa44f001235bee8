import { posix } from 'node:path';
import type { Mount } from '../model.js';
import { fail, ok, type ParseResult } from './result.js';

// Mounts in Compose short syntax (`volumes:` entries like "./data:/data:ro") and `tmpfs:` entries.
// Linux paths only: Windows drive letters are not supported.

export interface VolumeShortOptions {
  /** Absolute directory that relative bind sources resolve against. */
  workingDir: string;
  /** Absolute home directory that `~` expands to. */
  homeDir: string;
}

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PROPAGATIONS: readonly string[] = Object.freeze([
  'shared',
  'rshared',
  'slave',
  'rslave',
  'private',
  'rprivate',
]);
/** Docker Desktop consistency hints: accepted and ignored, as on Linux they mean nothing. */
const CONSISTENCIES: readonly string[] = Object.freeze(['delegated', 'cached', 'consistent']);
const MODE_HINT = '(use ro, rw, z, Z, nocopy, a propagation such as rprivate, or delegated, cached, consistent)';

/**
 * Parses Compose short syntax `[SOURCE:]TARGET[:MODE]`. A SOURCE starting with `/`, `.` or `~` is a
 * bind mount of that host path (relative paths against workingDir, `~` against homeDir; the host path
 * is created when missing); any other SOURCE names a volume; without SOURCE the volume is anonymous.
 * MODE is a comma list of ro, rw, z, Z, nocopy (volumes only), a bind propagation (shared, rshared,
 * slave, rslave, private, rprivate; binds only) and delegated, cached or consistent (ignored). Paths are
 * normalized (`/data/` is `/data`).
 */
export function parseVolumeShort(input: string, options: VolumeShortOptions): ParseResult<Mount> {
  const quoted = JSON.stringify(input);
  if (input === '') return fail('empty volume specification');
  const parts = input.split(':');
  if (parts.length > 3) return fail(`too many ":" in volume ${quoted} (expected [SOURCE:]TARGET[:MODE])`);
  if (parts.some((part) => part === '')) return fail(`empty section between ":" in volume ${quoted}`);

  const [first = '', second, modeText] = parts;
  const source = second === undefined ? null : first;
  const targetText = second ?? first;

  if (!targetText.startsWith('/')) return fail(`volume target "${targetText}" must be an absolute path`);
  const target = posix.normalize(targetText).replace(/(.)\/$/, '$1');
  if (target === '/') return fail(`volume target "${targetText}" must not be the root directory`);

  const mount: Mount = { type: 'volume', source: null, target, readOnly: false };
  if (source !== null) {
    if (source.startsWith('/') || source.startsWith('.') || source.startsWith('~')) {
      const hostPath = resolveHostPath(source, options);
      if (!hostPath.ok) return hostPath;
      mount.type = 'bind';
      mount.source = hostPath.value;
      mount.createHostPath = true;
    } else if (VOLUME_NAME.test(source)) {
      mount.source = source;
    } else {
      return fail(
        `invalid volume name "${source}" in ${quoted}: use letters, digits, "_", "." and "-", starting with a ` +
          'letter or digit (a host path starts with "/", "." or "~")',
      );
    }
  }
  if (modeText === undefined) return ok(mount);
  return applyModes(mount, modeText, quoted);
}

function resolveHostPath(source: string, options: VolumeShortOptions): ParseResult<string> {
  if (source === '~') return ok(posix.resolve(options.homeDir));
  if (source.startsWith('~/')) return ok(posix.resolve(options.homeDir, source.slice(2)));
  if (source.startsWith('~')) {
    return fail(`bind source "${source}": "~user" paths are not supported (use "~/" or an absolute path)`);
  }
  return ok(posix.resolve(options.workingDir, source));
}

function applyModes(mount: Mount, modeText: string, quoted: string): ParseResult<Mount> {
  const modes = modeText.split(',');
  if (modes.includes('')) return fail(`empty mode in volume ${quoted}`);
  if (modes.includes('ro') && modes.includes('rw')) return fail(`volume ${quoted} cannot be both ro and rw`);
  if (modes.includes('z') && modes.includes('Z')) return fail(`volume ${quoted} cannot have both z and Z`);
  const propagations = [...new Set(modes.filter((mode) => PROPAGATIONS.includes(mode)))];
  if (propagations.length > 1) {
    return fail(`volume ${quoted} has more than one propagation (${propagations.join(', ')})`);
  }

  const result: Mount = { ...mount };
  for (const mode of modes) {
    if (mode === 'ro') result.readOnly = true;
    else if (mode === 'rw') result.readOnly = false;
    else if (mode === 'z' || mode === 'Z') result.selinux = mode;
    else if (mode === 'nocopy') {
      if (mount.type === 'bind') return fail(`mode "nocopy" in ${quoted} applies to volumes, not bind mounts`);
      result.noCopy = true;
    } else if (PROPAGATIONS.includes(mode)) {
      if (mount.type !== 'bind') {
        return fail(`propagation "${mode}" in ${quoted} applies to bind mounts, not volumes`);
      }
      result.propagation = mode;
    } else if (!CONSISTENCIES.includes(mode)) {
      return fail(`unknown volume mode "${mode}" in ${quoted} ${MODE_HINT}`);
    }
  }
  return ok(result);
}

/**
 * Parses one `tmpfs:` entry, `TARGET[:OPTIONS]` such as "/run" or "/run:size=64m,mode=1777". The
 * target must be absolute and is normalized; the options are kept as written ('' when absent), since
 * the engine reads them.
 */
export function parseTmpfsEntry(input: string): ParseResult<{ target: string; options: string }> {
  const quoted = JSON.stringify(input);
  if (input === '') return fail('empty tmpfs entry');
  const colon = input.indexOf(':');
  const targetText = colon === -1 ? input : input.slice(0, colon);
  const options = colon === -1 ? '' : input.slice(colon + 1);

  if (!targetText.startsWith('/')) return fail(`tmpfs target "${targetText}" must be an absolute path`);
  const target = posix.normalize(targetText).replace(/(.)\/$/, '$1');
  if (target === '/') return fail(`tmpfs target "${targetText}" must not be the root directory`);
  if (colon !== -1 && options.split(',').includes('')) {
    return fail(`empty option in tmpfs entry ${quoted} (write TARGET:OPTION,OPTION such as "/run:size=64m")`);
  }
  return ok({ target, options });
}
