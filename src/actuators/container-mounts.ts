import type { FileReference, Mount, Project, Service } from '../desired-state/model.js';

// A service's filesystem as the engine wants it, as Compose v2 builds it (create.go
// `buildContainerVolumes`): bind mounts that may create their host path go to `Binds` as
// "source:target:access[,selinux][,propagation]" (the Mount API of engine API 1.41 has no
// CreateMountpoint and fails on a missing path, while `Binds` creates it); every other mount goes to
// `Mounts`; `tmpfs:` entries go to the `Tmpfs` map; secrets and configs read from a file become
// read-only bind mounts at their target, unless a volume already mounts something there. Anonymous
// volumes get a name when one is given for their target (composelet names them: volume-spec.ts), and
// named targets nothing else mounts (an image's VOLUME, a remembered volume) are mounted by that name.

/** One entry of HostConfig.Mounts (Engine API 1.41). */
export interface EngineMount {
  Type: 'volume' | 'bind' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly: boolean;
  BindOptions?: { Propagation: string };
  VolumeOptions?: { NoCopy?: boolean; Subpath?: string };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface ContainerFilesystem {
  binds: string[];
  mounts: EngineMount[];
  tmpfs: Record<string, string>;
}

/** target -> the volume an anonymous mount there uses. */
export type AnonymousVolumeNames = Readonly<Record<string, string>>;

export function buildFilesystem(project: Project, service: Service, anonymousVolumes: AnonymousVolumeNames = {}): ContainerFilesystem {
  const binds: string[] = [];
  const mounts: EngineMount[] = [];
  const taken = new Set<string>();
  for (const mount of service.volumes) {
    taken.add(mount.target);
    if (mount.type === 'bind' && mount.createHostPath === true) binds.push(bindString(mount));
    else mounts.push(engineMount(project, mount, anonymousVolumes));
  }
  const tmpfs = tmpfsMap(service.tmpfs);
  for (const [target, name] of Object.entries(anonymousVolumes)) {
    if (taken.has(target) || tmpfs[target] !== undefined) continue;
    taken.add(target);
    mounts.push({ Type: 'volume', Source: name, Target: target, ReadOnly: false });
  }
  const fileMounts = [
    ...fileReferenceMounts(service.secrets, (source) => project.secrets[source]?.file ?? null),
    ...fileReferenceMounts(service.configs, (source) => project.configs[source]?.file ?? null),
  ];
  for (const mount of fileMounts) {
    if (taken.has(mount.Target)) continue;
    taken.add(mount.Target);
    mounts.push(mount);
  }
  mounts.sort((left, right) => left.Target.localeCompare(right.Target));
  return { binds, mounts, tmpfs };
}

/** Compose's `ServiceVolumeConfig.String()`: "source:target:rw" or "source:target:ro,z,rshared". */
export function bindString(mount: Mount): string {
  const options = [mount.readOnly ? 'ro' : 'rw'];
  if (mount.selinux) options.push(mount.selinux);
  if (mount.propagation) options.push(mount.propagation);
  return `${mount.source ?? ''}:${mount.target}:${options.join(',')}`;
}

function engineMount(project: Project, mount: Mount, anonymousVolumes: AnonymousVolumeNames): EngineMount {
  const result: EngineMount = { Type: mount.type, Target: mount.target, ReadOnly: mount.readOnly };
  if (mount.type === 'volume' && mount.source !== null) {
    result.Source = project.volumes[mount.source]?.name ?? mount.source;
  }
  const anonymousName = mount.type === 'volume' && mount.source === null ? anonymousVolumes[mount.target] : undefined;
  if (anonymousName !== undefined) result.Source = anonymousName;
  if (mount.type === 'bind' && mount.source !== null) result.Source = mount.source;
  if (mount.type === 'bind' && mount.propagation) result.BindOptions = { Propagation: mount.propagation };
  if (mount.type === 'volume' && (mount.noCopy || mount.subpath)) {
    result.VolumeOptions = {
      ...(mount.noCopy ? { NoCopy: true } : {}),
      ...(mount.subpath ? { Subpath: mount.subpath } : {}),
    };
  }
  if (mount.type === 'tmpfs' && (mount.tmpfsSizeBytes !== undefined || mount.tmpfsMode !== undefined)) {
    result.TmpfsOptions = {
      ...(mount.tmpfsSizeBytes !== undefined ? { SizeBytes: mount.tmpfsSizeBytes } : {}),
      ...(mount.tmpfsMode !== undefined ? { Mode: mount.tmpfsMode } : {}),
    };
  }
  return result;
}

/** Secrets and configs with a `file:` source; environment and inline content are not mounted here. */
function fileReferenceMounts(references: FileReference[], fileOf: (source: string) => string | null): EngineMount[] {
  const mounts: EngineMount[] = [];
  for (const reference of references) {
    const file = fileOf(reference.source);
    if (file === null) continue;
    mounts.push({ Type: 'bind', Source: file, Target: reference.target, ReadOnly: true });
  }
  return mounts;
}

/** `tmpfs:` entries ("/run:size=64m") as the engine's target -> options map, split at the first ":". */
export function tmpfsMap(entries: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon === -1) map[entry] = '';
    else map[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return map;
}
