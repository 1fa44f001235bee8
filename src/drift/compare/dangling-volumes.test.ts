import { describe, expect, it } from 'vitest';
import { anonymousVolumeLabels, anonymousVolumeName } from '../../actuators/volume-spec.js';
import { convergedContainer, convergedState, observedVolume, projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import type { ObservedState } from '../../reconciler/observe/observed-state.js';
import { pairContainers } from './pair-containers.js';
import { projectChanges } from './project-changes.js';

// Anonymous volumes composelet owns that no service needs any more are drift of their own category
// (`dangling-volume`): the planner notes them and removes them with --prune; drift must show them too.

const project = projectFromYaml(`
name: p
services:
  api: { image: busybox, volumes: [/data] }
`);

const anonymous = (service: string, number: number, target: string) => {
  const owner = { projectName: 'p', service, number };
  return { ...observedVolume('p', anonymousVolumeName(owner, target)), labels: anonymousVolumeLabels(owner, target) };
};

const changesOf = (observed: ObservedState, recorded: Parameters<typeof projectChanges>[3] = []) =>
  projectChanges(project, observed, pairContainers(project, observed, observed.containers), recorded).filter((change) => change.category === 'dangling-volume');

describe('dangling anonymous volumes in the drift report', () => {
  it.each([
    ['the volume of a removed service', anonymous('worker', 1, '/cache'), ['worker #1 at /cache']],
    ['the volume of a replica scaled away', anonymous('api', 2, '/data'), ['api #2 at /data']],
    ['the volume the desired replica uses', anonymous('api', 1, '/data'), []],
  ])('%s', (_case, volume, expected) => {
    const observed = { ...convergedState(project), volumes: [volume] };
    const changes = changesOf(observed);
    expect(changes.map((change) => change.reason.match(/of (\S+ #\d+ at [^,]+),/)?.[1])).toEqual(expected);
    for (const change of changes) {
      expect(change).toMatchObject({ container: null, path: `/volumes/${volume.name}`, op: 'add', desired: null, live: { name: volume.name } });
      expect(change.reason).toContain('no service needs it');
      expect(change.reason).toContain('--prune');
    }
  });

  it('a volume a container still mounts must not be reported', () => {
    const volume = anonymous('worker', 1, '/cache');
    const base = convergedState(project);
    const mounting = convergedContainer(project, 'api', 1, { volumeMounts: [{ name: volume.name, target: '/cache' }] });
    expect(changesOf({ ...base, containers: [mounting], volumes: [volume] })).toEqual([]);
  });

  it('a remembered engine-made volume of a removed service must be reported', () => {
    const name = 'a'.repeat(64);
    const observed = { ...convergedState(project), volumes: [observedVolume('p', name, { owned: false, project: null })] };
    const changes = changesOf(observed, [{ name, service: 'worker', number: 1, target: '/cache' }]);
    expect(changes.map((change) => change.path)).toEqual([`/volumes/${name}`]);
  });
});
