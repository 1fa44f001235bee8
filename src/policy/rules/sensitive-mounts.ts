import { posix } from 'node:path';
import type { Rule, Violation } from '../rule.js';
import type { SubjectBind } from '../subject.js';

// The container engine's socket is root on the host; the host's root and system directories hold its
// credentials, kernel interfaces and devices. Below them counts too (/etc/ssl), next to them does not (/home).

const ENGINE_SOCKETS: ReadonlySet<string> = new Set(['docker.sock', 'containerd.sock', 'podman.sock', 'crio.sock']);
export const SENSITIVE_HOST_PATHS: readonly string[] = ['/etc', '/proc', '/sys', '/dev', '/boot'];

export type SensitiveKind = 'engine-socket' | 'host-root' | 'system-directory' | null;

export function sensitiveKind(source: string): SensitiveKind {
  const path = posix.normalize(source).replace(/(.)\/+$/, '$1');
  if (ENGINE_SOCKETS.has(posix.basename(path))) return 'engine-socket';
  if (path === '/') return 'host-root';
  if (SENSITIVE_HOST_PATHS.some((root) => path === root || path.startsWith(`${root}/`))) return 'system-directory';
  return null;
}

function violationFor(bind: SubjectBind): Violation | null {
  const kind = sensitiveKind(bind.source);
  if (kind === null) return null;
  const where = `${bind.source} at ${bind.target}${bind.readOnly ? ' (read-only)' : ''}`;
  if (kind === 'engine-socket') {
    return {
      field: 'volumes',
      message: `mounts the container engine's socket ${where}: whoever controls the container controls the host`,
      fix: 'remove the mount; if it must read the engine, put a filtering, read-only API proxy in between',
    };
  }
  return {
    field: 'volumes',
    message: `mounts the host's ${kind === 'host-root' ? 'root directory' : 'system path'} ${where}`,
    fix: 'mount only the files it needs, from a directory of their own, a config, a secret or a named volume',
  };
}

export const noSensitiveMounts: Rule = {
  id: 'no-sensitive-mounts',
  summary: "containers must not mount the engine's socket or the host's system directories",
  check(subject) {
    return subject.binds.map(violationFor).filter((violation): violation is Violation => violation !== null);
  },
};
