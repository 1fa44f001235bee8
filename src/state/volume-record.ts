import { join } from 'node:path';
import { isImplicitAnonymousVolumeName } from '../actuators/volume-spec.js';
import type { ObservedState } from '../reconciler/observe/observed-state.js';
import type { RecordedVolume } from '../reconciler/plan/plan-context.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';

// The volumes the engine made itself (64 hex names) for anonymous mounts of containers created before
// composelet named them (or by docker compose), remembered per project, replica and target, so that after
// `docker rm -f` the replacement mounts them again: nothing on the engine links such a volume to its
// container once the container is gone. One file per project under the state directory,
// `<state-dir>/volumes/<project>.json`, written atomically; the planner gets the entries as plan input.

interface VolumeRecordFile {
  version: 1;
  volumes: RecordedVolume[];
}

export function volumeRecordPath(stateDir: string, projectName: string): string {
  return join(stateDir, 'volumes', `${projectName}.json`);
}

export async function readVolumeRecord(stateDir: string, projectName: string): Promise<RecordedVolume[]> {
  const path = volumeRecordPath(stateDir, projectName);
  const file = await readJsonFile<VolumeRecordFile>(path);
  if (file === null) return [];
  if (file.version !== 1 || !Array.isArray(file.volumes)) throw new Error(`${path}: not a volume record (version 1 expected)`);
  return file.volumes;
}

export async function writeVolumeRecord(stateDir: string, projectName: string, volumes: readonly RecordedVolume[]): Promise<void> {
  const file: VolumeRecordFile = { version: 1, volumes: [...volumes] };
  await writeFileAtomic(volumeRecordPath(stateDir, projectName), `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * The record after an observation: what the containers mount now (implicit volumes of replicas with a
 * service and number), plus remembered entries whose volume is still on the engine and whose replica
 * and target no container accounts for. `observed.volumes` must hold the remembered volumes (observe's
 * `volumeNames`). Sorted, so an unchanged record compares equal.
 */
export function updateVolumeRecord(previous: readonly RecordedVolume[], observed: ObservedState): RecordedVolume[] {
  const byKey = new Map<string, RecordedVolume>();
  const key = (entry: { service: string; number: number; target: string }) => `${entry.service}\u0000${entry.number}\u0000${entry.target}`;
  for (const container of observed.containers) {
    if (container.service === null || container.number === null) continue;
    for (const mount of container.volumeMounts) {
      if (!isImplicitAnonymousVolumeName(mount.name)) continue;
      const entry = { service: container.service, number: container.number, target: mount.target, name: mount.name };
      if (!byKey.has(key(entry))) byKey.set(key(entry), entry);
    }
  }
  const present = new Set(observed.volumes.map((volume) => volume.name));
  for (const entry of previous) {
    if (present.has(entry.name) && !byKey.has(key(entry))) byKey.set(key(entry), { ...entry });
  }
  return [...byKey.values()].sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0));
}

export function sameRecord(left: readonly RecordedVolume[], right: readonly RecordedVolume[]): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
