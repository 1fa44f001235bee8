import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ObservedContainer, ObservedState } from '../reconciler/observe/observed-state.js';
import type { RecordedVolume } from '../reconciler/plan/plan-context.js';
import { readVolumeRecord, updateVolumeRecord, writeVolumeRecord } from './volume-record.js';

const IMPLICIT = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

function container(service: string, number: number, mounts: Array<{ name: string; target: string }>): ObservedContainer {
  return { service, number, volumeMounts: mounts } as unknown as ObservedContainer;
}

function state(containers: ObservedContainer[], volumes: string[]): ObservedState {
  return { projectName: 'demo', containers, networks: [], images: [], volumes: volumes.map((name) => ({ name, owned: false, labels: {} })) };
}

describe('the volume record', () => {
  it.each<[string, RecordedVolume[], ObservedState, RecordedVolume[]]>([
    ['an implicit volume a container mounts must be remembered', [], state([container('db', 1, [{ name: IMPLICIT, target: '/data' }])], [IMPLICIT]), [{ service: 'db', number: 1, target: '/data', name: IMPLICIT }]],
    ['a volume composelet named must not be remembered (its name says whose it is)', [], state([container('db', 1, [{ name: 'demo_db_1_anon_bd47413b5c03', target: '/data' }])], []), []],
    ['a remembered volume must stay while it exists, its container gone', [{ service: 'db', number: 1, target: '/data', name: IMPLICIT }], state([], [IMPLICIT]), [{ service: 'db', number: 1, target: '/data', name: IMPLICIT }]],
    ['a remembered volume must be forgotten once it is gone', [{ service: 'db', number: 1, target: '/data', name: IMPLICIT }], state([], []), []],
    ['what the container mounts now must win over what was remembered', [{ service: 'db', number: 1, target: '/data', name: IMPLICIT }], state([container('db', 1, [{ name: OTHER, target: '/data' }])], [IMPLICIT, OTHER]), [{ service: 'db', number: 1, target: '/data', name: OTHER }]],
  ])('%s', (_name, previous, observed, expected) => {
    expect(updateVolumeRecord(previous, observed)).toEqual(expected);
  });

  it('must read back what was written, and nothing when there is no file yet', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-record-'));
    expect(await readVolumeRecord(directory, 'demo')).toEqual([]);
    await writeVolumeRecord(directory, 'demo', [{ service: 'db', number: 1, target: '/data', name: IMPLICIT }]);
    expect(await readVolumeRecord(directory, 'demo')).toEqual([{ service: 'db', number: 1, target: '/data', name: IMPLICIT }]);
  });
});
