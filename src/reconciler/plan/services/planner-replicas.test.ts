import { describe, expect, it } from 'vitest';
import type { ObservedState } from '../../observe/observed-state.js';
import {
  convergedContainer,
  convergedState,
  lines,
  named,
  planText,
  projectFromYaml,
  repeatedId,
  withContainer,
} from '../../observe/observed-builders.test-support.js';

const SCALED = projectFromYaml(`
name: demo
services:
  worker: { image: busybox:1, scale: 3 }
  single: { image: busybox:1 }
  db: { image: postgres:16, scale: 2 }
  api: { image: acme/api:1, depends_on: { db: { condition: service_healthy } } }
`);

interface ScaleScenario {
  name: string;
  state: () => ObservedState;
  expected: string;
}

describe('plan: replicas', () => {
  it.each(
    named<ScaleScenario>([
      {
        name: 'scaling up must create the missing replicas only',
        state: () => ({ ...convergedState(SCALED), containers: convergedState(SCALED).containers.filter((container) => container.name !== 'demo-worker-2' && container.name !== 'demo-worker-3') }),
        expected: lines(`
          [0] create-container container:demo-worker-2 (not found)
          [1] start-container container:demo-worker-2 (new container) after [0]
          [2] create-container container:demo-worker-3 (not found)
          [3] start-container container:demo-worker-3 (new container) after [2]
        `),
      },
      {
        name: 'scaling down must stop and remove the highest numbers first',
        state: () => ({
          ...convergedState(SCALED),
          containers: [
            ...convergedState(SCALED).containers,
            convergedContainer(SCALED, 'single', 2),
            convergedContainer(SCALED, 'single', 3, { state: 'exited', exitCode: 0 }),
          ],
        }),
        expected: lines(`
          [0] remove-container container:demo-single-3 (scaled down to 1)
          [1] stop-container container:demo-single-2 timeout=10s (scaled down to 1)
          [2] remove-container container:demo-single-2 (scaled down to 1) after [1]
        `),
      },
      {
        name: 'a duplicate of a replica must be removed, the one under the final name kept',
        state: () => ({
          ...convergedState(SCALED),
          containers: [
            ...convergedState(SCALED).containers,
            convergedContainer(SCALED, 'single', 1, { id: repeatedId('b'), name: 'bbbbbbbbbbbb_demo-single-1', created: 1_800_000_000 }),
          ],
        }),
        expected: lines(`
          [0] stop-container container:bbbbbbbbbbbb_demo-single-1 timeout=10s (duplicate of replica 1)
          [1] remove-container container:bbbbbbbbbbbb_demo-single-1 (duplicate of replica 1) after [0]
        `),
      },
      {
        name: 'a service_healthy dependent must wait for every replica of its dependency',
        state: () => ({ ...convergedState(SCALED), containers: convergedState(SCALED).containers.filter((container) => container.service !== 'api') }),
        expected: lines(`
          [0] wait container:demo-db-1 condition=healthy (needed by api: service_healthy)
          [1] wait container:demo-db-2 condition=healthy (needed by api: service_healthy)
          [2] create-container container:demo-api-1 (not found) after [0,1]
          [3] start-container container:demo-api-1 (new container) after [2]
        `),
      },
    ]),
  )('%s', (_name, { state, expected }) => {
    expect(planText(SCALED, state())).toBe(expected);
  });
});

describe('plan: shared namespaces', () => {
  const project = projectFromYaml(`
name: demo
services:
  vpn: { image: acme/vpn:1 }
  app: { image: acme/app:1, network_mode: "service:vpn" }
`);

  it('a container sharing the namespaces of a replaced container must be replaced after it', () => {
    const state = withContainer(
      withContainer(convergedState(project), convergedContainer(project, 'vpn', 1, { id: repeatedId('a'), specHash: 'an-older-spec' })),
      convergedContainer(project, 'app', 1, { id: repeatedId('b') }),
    );
    const cause = 'shares namespaces with vpn, which is replaced';
    expect(planText(project, state)).toBe(
      lines(`
        [0] create-container container:demo-vpn-1 name=aaaaaaaaaaaa_demo-vpn-1 inherit-volumes=aaaaaaaaaaaa (spec changed)
        [1] stop-container container:demo-vpn-1 id=aaaaaaaaaaaa timeout=10s (spec changed) after [0]
        [2] remove-container container:demo-vpn-1 id=aaaaaaaaaaaa (spec changed) after [1]
        [3] rename-container container:demo-vpn-1 from=aaaaaaaaaaaa_demo-vpn-1 (spec changed) after [2]
        [4] start-container container:demo-vpn-1 (spec changed) after [3]
        [5] create-container container:demo-app-1 name=bbbbbbbbbbbb_demo-app-1 inherit-volumes=bbbbbbbbbbbb (${cause}) after [4]
        [6] stop-container container:demo-app-1 id=bbbbbbbbbbbb timeout=10s (${cause}) after [5]
        [7] remove-container container:demo-app-1 id=bbbbbbbbbbbb (${cause}) after [6]
        [8] rename-container container:demo-app-1 from=bbbbbbbbbbbb_demo-app-1 (${cause}) after [7]
        [9] start-container container:demo-app-1 (${cause}) after [8]
      `),
    );
  });

  it('a container sharing namespaces must plan nothing when the other one stays', () => {
    expect(planText(project, convergedState(project))).toBe('no changes');
  });
});
