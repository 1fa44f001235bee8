import type { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { sha256Hex } from '../desired-state/canonical-json.js';
import type { FileObject, FileReference, Project, Service } from '../desired-state/model.js';

// Secrets and configs whose source is `environment` or inline `content` are not on the host to bind-mount:
// like Compose v2 (pkg/compose/secrets.go), composelet creates the container, then copies each file in
// with the archive API (a tar extracted at "/") before the first start. Mode defaults to 0444, uid and
// gid to 0 (root). File sources are bind-mounted instead (container-mounts.ts).

/** One file to put into a container. `content` is secret: outputs show `sha256` only. */
export interface ContainerFile {
  /** `secret:token` or `config:app_conf`. */
  source: string;
  /** Absolute path inside the container. */
  target: string;
  uid: number;
  gid: number;
  mode: number;
  content: string;
  /** SHA-256 of the content, hex: what renders and JSON show instead of it. */
  sha256: string;
}

export const DEFAULT_FILE_MODE = 0o444;

/** The files the service's containers get by copy, sorted by target; [] when it uses none. */
export function containerFiles(project: Pick<Project, 'secrets' | 'configs'>, service: Pick<Service, 'secrets' | 'configs'>): ContainerFile[] {
  const files = [
    ...copiedFiles('secret', service.secrets, project.secrets),
    ...copiedFiles('config', service.configs, project.configs),
  ];
  return files.sort((left, right) => left.target.localeCompare(right.target));
}

function copiedFiles(kind: 'secret' | 'config', references: FileReference[], objects: Record<string, FileObject>): ContainerFile[] {
  const files: ContainerFile[] = [];
  for (const reference of references) {
    const value = objects[reference.source]?.value ?? null;
    if (value === null) continue;
    files.push({
      source: `${kind}:${reference.source}`,
      target: reference.target,
      uid: numericId(reference.uid),
      gid: numericId(reference.gid),
      mode: reference.mode ?? DEFAULT_FILE_MODE,
      content: value,
      sha256: sha256Hex(value),
    });
  }
  return files;
}

/**
 * Secrets and configs the service uses whose `environment` variable is unset: no container of it can be
 * made with them (Compose fails its `up` the same way; loading and `config` still accept the file).
 */
export function unsetFileVariables(
  project: Pick<Project, 'secrets' | 'configs'>,
  service: Pick<Service, 'secrets' | 'configs'>,
): Array<{ resourceId: string; message: string }> {
  const unset: Array<{ resourceId: string; message: string }> = [];
  for (const [kind, references, objects] of [
    ['secret', service.secrets, project.secrets],
    ['config', service.configs, project.configs],
  ] as const) {
    for (const reference of references) {
      const object = objects[reference.source];
      if (object?.environment == null || object.value !== null) continue;
      unset.push({ resourceId: `${kind}:${reference.source}`, message: `environment variable ${object.environment} is not set: the container cannot be created` });
    }
  }
  return unset;
}

/** Compose reads uid and gid as numbers; a name is not resolved (the image's /etc/passwd is not read). */
function numericId(value: string | null): number {
  if (value === null || value.trim() === '') return 0;
  const parsed = Number.parseInt(value, 10);
  return Number.isInteger(parsed) && parsed >= 0 ? parsed : 0;
}

/** A tar of the files at their targets (relative to "/"), for putArchive at "/". */
export function containerFilesTar(files: readonly ContainerFile[], options: { mtime?: Date } = {}): Readable {
  const archive = pack();
  const mtime = options.mtime ?? new Date();
  for (const file of files) {
    archive.entry(
      { name: file.target.replace(/^\/+/, ''), mode: file.mode, uid: file.uid, gid: file.gid, mtime, type: 'file' },
      Buffer.from(file.content, 'utf8'),
    );
  }
  archive.finalize();
  return archive;
}

/** The files without their content: what a plan's JSON and renders may show. */
export function describeFiles(files: readonly ContainerFile[]): Array<Omit<ContainerFile, 'content'>> {
  return files.map(({ content: _content, ...rest }) => rest);
}
