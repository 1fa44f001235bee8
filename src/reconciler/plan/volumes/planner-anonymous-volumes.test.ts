import { describe, expect, it } from 'vitest';
import { anonymousVolumeLabels } from '../../../actuators/volume-spec.js';
import type { ObservedState, ObservedVolume } from '../../observe/observed-state.js';
import { convergedContainer, convergedState, lines, planText, projectFromYaml, repeatedId, withContainer } from '../../observe/observed-builders.test-support.js';
import { plan, type PlanOptions } from '../planner.js';

// Anonymous volumes survive any removal of their container: composelet names them after the replica and
// target (demo_db_1_anon_<sha256(target)[:12]>), the plan creates them before the container, and every
// replacement (recreate, heal after `docker rm -f`, adoption) mounts the same volume again by name.

const STACK = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    volumes: [/data]
`);
const DATA = 'demo_db_1_anon_bd47413b5c03';
const IMAGE_DATA = 'demo_db_1_anon_dc8f97c32d81';
const IMAGE_VOLUMES = { 'postgres:16': ['/var/lib/postgresql/data'] };
const LEGACY = repeatedId('e');

function withoutContainers(state: ObservedState): ObservedState {
  return { ...state, containers: [] };
}

function anonymousVolume(service: string, number: number, target: string, name: string): ObservedVolume {
  return { name, owned: true, labels: anonymousVolumeLabels({ projectName: 'demo', service, number }, target) };
}

function implicitVolume(name: string): ObservedVolume {
  return { name, owned: false, labels: {} };
}

function mountsOf(options: Partial<PlanOptions>, state: ObservedState): unknown {
  const created = plan(STACK, state, { prune: false, buildHashes: {}, ...options }).operations.find((operation) => operation.kind === 'create-container');
  return created?.kind === 'create-container' ? created.spec.HostConfig['Mounts'] : undefined;
}

describe('plan: anonymous volumes', () => {
  it('a new container must get its anonymous volumes created first, by name, the image VOLUMEs too', () => {
    const state = withoutContainers(convergedState(STACK));
    expect(planText(STACK, state, { imageVolumes: IMAGE_VOLUMES })).toBe(
      lines(`
        [0] create-volume volume:${DATA} (not found: anonymous volume at /data)
        [1] create-volume volume:${IMAGE_DATA} (not found: anonymous volume at /var/lib/postgresql/data)
        [2] create-container container:demo-db-1 (not found) after [0,1]
        [3] start-container container:demo-db-1 (new container) after [2]
      `),
    );
    expect(mountsOf({ imageVolumes: IMAGE_VOLUMES }, state)).toEqual([
      { Type: 'volume', Source: DATA, Target: '/data', ReadOnly: false },
      { Type: 'volume', Source: IMAGE_DATA, Target: '/var/lib/postgresql/data', ReadOnly: false },
    ]);
  });

  it('a container removed out of band must get its existing volumes back, never new ones', () => {
    const state = withoutContainers(convergedState(STACK));
    const withVolumes = {
      ...state,
      volumes: [anonymousVolume('db', 1, '/data', DATA), anonymousVolume('db', 1, '/var/lib/postgresql/data', IMAGE_DATA)],
    };
    expect(planText(STACK, withVolumes, { imageVolumes: IMAGE_VOLUMES })).toBe(
      lines(`
        [0] create-container container:demo-db-1 (not found)
        [1] start-container container:demo-db-1 (new container) after [0]
      `),
    );
    expect(mountsOf({ imageVolumes: IMAGE_VOLUMES }, withVolumes)).toEqual([
      { Type: 'volume', Source: DATA, Target: '/data', ReadOnly: false },
      { Type: 'volume', Source: IMAGE_DATA, Target: '/var/lib/postgresql/data', ReadOnly: false },
    ]);
  });

  it('image VOLUMEs unknown to the plan must be left for the executor to name at create time', () => {
    const created = plan(STACK, withoutContainers(convergedState(STACK)), { prune: false, buildHashes: {} }).operations.find(
      (operation) => operation.kind === 'create-container',
    );
    expect(created?.kind === 'create-container' ? created.nameImageVolumes : 'none').toEqual({ projectName: 'demo', service: 'db', number: 1 });
    const known = plan(STACK, withoutContainers(convergedState(STACK)), { prune: false, buildHashes: {}, imageVolumes: IMAGE_VOLUMES }).operations.find(
      (operation) => operation.kind === 'create-container',
    );
    expect(known?.kind === 'create-container' ? known.nameImageVolumes : 'none').toBeNull();
  });

  it('a recreate of a container made before this change must mount its implicit volumes again by name', () => {
    const STACK_V2 = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    command: ["postgres", "-c", "fsync=off"]
    volumes: [/data]
`);
    const old = convergedContainer(STACK, 'db', 1, { specHash: 'older', volumeMounts: [{ name: LEGACY, target: '/data' }] });
    const state = { ...withContainer(convergedState(STACK_V2), old), volumes: [implicitVolume(LEGACY)] };
    const operations = plan(STACK_V2, state, { prune: false, buildHashes: {}, imageVolumes: { 'postgres:16': [] } }).operations;
    expect(operations.map((operation) => operation.kind)).not.toContain('create-volume');
    const created = operations.find((operation) => operation.kind === 'create-container');
    expect(created?.kind === 'create-container' ? created.spec.HostConfig['Mounts'] : null).toEqual([
      { Type: 'volume', Source: LEGACY, Target: '/data', ReadOnly: false },
    ]);
  });

  it('a container made before this change and removed out of band must get its remembered volume back', () => {
    const state = { ...withoutContainers(convergedState(STACK)), volumes: [implicitVolume(LEGACY)] };
    const recordedVolumes = [{ service: 'db', number: 1, target: '/var/lib/postgresql/data', name: LEGACY }];
    expect(planText(STACK, state, { recordedVolumes, imageVolumes: IMAGE_VOLUMES })).toBe(
      lines(`
        [0] create-volume volume:${DATA} (not found: anonymous volume at /data)
        [1] create-container container:demo-db-1 (not found) after [0]
        [2] start-container container:demo-db-1 (new container) after [1]
      `),
    );
    expect(mountsOf({ recordedVolumes, imageVolumes: IMAGE_VOLUMES }, state)).toEqual([
      { Type: 'volume', Source: DATA, Target: '/data', ReadOnly: false },
      { Type: 'volume', Source: LEGACY, Target: '/var/lib/postgresql/data', ReadOnly: false },
    ]);
  });

  it('a remembered volume that is gone from the engine must not be mounted', () => {
    const state = withoutContainers(convergedState(STACK));
    const recordedVolumes = [{ service: 'db', number: 1, target: '/data', name: LEGACY }];
    expect(mountsOf({ recordedVolumes, imageVolumes: { 'postgres:16': [] } }, state)).toEqual([
      { Type: 'volume', Source: DATA, Target: '/data', ReadOnly: false },
    ]);
  });

  it('a converged container with its volumes must plan no changes', () => {
    const state = { ...convergedState(STACK), volumes: [anonymousVolume('db', 1, '/data', DATA)] };
    expect(planText(STACK, state)).toBe('no changes');
  });

  it('anonymous volumes of a replica no service needs must be reported, and removed only with --prune', () => {
    const state = {
      ...convergedState(STACK),
      volumes: [anonymousVolume('db', 1, '/data', DATA), anonymousVolume('db', 2, '/data', 'demo_db_2_anon_bd47413b5c03'), implicitVolume(LEGACY)],
    };
    const recordedVolumes = [{ service: 'gone', number: 1, target: '/cache', name: LEGACY }];
    expect(planText(STACK, state, { recordedVolumes })).toBe(
      lines(`
        no changes
        - volume:demo_db_2_anon_bd47413b5c03: dangling: anonymous volume of db #2 at /data, no service needs it: kept; apply with --prune to remove
        - volume:${LEGACY}: dangling: anonymous volume of gone #1 at /cache, no service needs it: kept; apply with --prune to remove
      `),
    );
    expect(planText(STACK, state, { recordedVolumes, prune: true })).toBe(
      lines(`
        [0] remove-volume volume:demo_db_2_anon_bd47413b5c03 (dangling: anonymous volume of db #2 at /data)
        [1] remove-volume volume:${LEGACY} (dangling: anonymous volume of gone #1 at /cache)
      `),
    );
  });
});
