import { describe, expect, it } from 'vitest';
import { anonymousVolumeLabels } from '../../../actuators/volume-spec.js';
import type { ObservedState } from '../../observe/observed-state.js';
import { convergedContainer, convergedState, lines, planText, projectFromYaml, repeatedId, withContainer } from '../../observe/observed-builders.test-support.js';
import { plan, type PlanOptions } from '../planner.js';

// A container the engine refuses to start after its restart (`task <id>: already exists`, moby/moby#36145)
// is recreated, not started again: the controller remembers the refusal and hands the planner a directive.
// The recreate mounts the container's anonymous volumes again, so its data survives the heal.

const STACK = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    restart: unless-stopped
    volumes: [/data]
  api:
    image: acme/api:1
    restart: unless-stopped
    depends_on: [db]
`);
const DATA = 'demo_db_1_anon_bd47413b5c03';
const LEGACY = repeatedId('e');
const REASON = 'the engine refuses to start it after its restart: task already exists';
const OLD_DB = repeatedId('d');
const IMAGE_VOLUMES = { 'postgres:16': ['/var/lib/postgresql/data'] };

function stoppedDb(): ObservedState {
  const db = convergedContainer(STACK, 'db', 1, { id: OLD_DB, state: 'exited', exitCode: 255, volumeMounts: [{ name: LEGACY, target: '/var/lib/postgresql/data' }] });
  const state = withContainer(convergedState(STACK), db);
  return {
    ...state,
    volumes: [
      { name: DATA, owned: true, labels: anonymousVolumeLabels({ projectName: 'demo', service: 'db', number: 1 }, '/data') },
      { name: LEGACY, owned: false, labels: {} },
    ],
  };
}

function healing(recreateContainers: Record<string, string>): Partial<PlanOptions> {
  return { healing: { recreateContainers }, imageVolumes: IMAGE_VOLUMES };
}

describe('plan: a container the engine refuses to start', () => {
  it('must be recreated, not started, with a cause saying why', () => {
    expect(planText(STACK, stoppedDb(), healing({ 'demo-db-1': REASON }))).toBe(
      lines(`
        [0] create-container container:demo-db-1 name=dddddddddddd_demo-db-1 inherit-volumes=dddddddddddd (recreate: ${REASON})
        [1] remove-container container:demo-db-1 id=dddddddddddd (recreate: ${REASON}) after [0]
        [2] rename-container container:demo-db-1 from=dddddddddddd_demo-db-1 (recreate: ${REASON}) after [1]
        [3] start-container container:demo-db-1 (recreate: ${REASON}) after [2]
      `),
    );
  });

  it('must mount its anonymous volumes again, composelet-named and engine-made alike', () => {
    const operations = plan(STACK, stoppedDb(), { prune: false, buildHashes: {}, ...healing({ 'demo-db-1': REASON }) }).operations;
    expect(operations.map((operation) => operation.kind)).not.toContain('create-volume');
    const created = operations.find((operation) => operation.kind === 'create-container');
    expect(created?.kind === 'create-container' ? created.spec.HostConfig['Mounts'] : null).toEqual([
      { Type: 'volume', Source: DATA, Target: '/data', ReadOnly: false },
      { Type: 'volume', Source: LEGACY, Target: '/var/lib/postgresql/data', ReadOnly: false },
    ]);
    expect(created?.kind === 'create-container' ? created.inheritAnonymousVolumesFrom : null).toBe(OLD_DB);
  });

  it('without the directive the same stopped container must be started in place', () => {
    expect(planText(STACK, stoppedDb(), { imageVolumes: IMAGE_VOLUMES })).toBe(
      lines(`
        [0] start-container container:demo-db-1 (exited (255))
      `),
    );
  });

  it('a directive for a container that runs again must change nothing', () => {
    expect(planText(STACK, convergedState(STACK), healing({ 'demo-db-1': REASON }))).toBe('no changes');
  });

  it('a service whose starts are held (crash-loop backoff) must not be recreated either', () => {
    const text = planText(STACK, stoppedDb(), { ...healing({ 'demo-db-1': REASON }), healing: { recreateContainers: { 'demo-db-1': REASON }, holdStarts: { db: 'crash-looping: next restart in 20s' } } });
    expect(text).not.toContain('create-container');
    expect(text).toContain('not started now: crash-looping: next restart in 20s');
  });
});
