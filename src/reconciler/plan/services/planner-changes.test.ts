import { describe, expect, it } from 'vitest';
import type { ObservedContainer, ObservedState } from '../../observe/observed-state.js';
import {
  convergedContainer,
  convergedState,
  imageIdFor,
  lines,
  named,
  observedImage,
  observedNetwork,
  planText,
  projectFromYaml,
  repeatedId,
} from '../../observe/observed-builders.test-support.js';
import type { PlanOptions } from '../planner.js';

const API = projectFromYaml(`
name: demo
services:
  api:
    image: acme/api:2
    command: ["serve"]
    mem_limit: 512m
    stop_signal: SIGINT
    stop_grace_period: 30s
    networks: { front: {}, back: {} }
networks: { front: {}, back: {} }
`);

const OLD_ID = repeatedId('a');
const RUNNING_LIMITS = {
  memoryBytes: 268435456,
  memoryReservationBytes: null,
  memswapBytes: null,
  nanoCpus: null,
  cpuShares: null,
  pidsLimit: null,
  restart: { name: 'no', maximumRetryCount: 0 },
};

/** A running container whose spec changed is rolled out: the old one renamed aside, kept until its
 * replacement stayed running for the monitor period, and put back if it does not. */
const REPLACE_API = (cause: string, first = 0, needs: number[] = []) => {
  const at = (offset: number) => first + offset;
  const after = (...offsets: number[]) => [...needs, ...offsets.map(at)].join(',');
  const back = `rollout failed: demo-api-1 comes back (aaaaaaaaaaaa)`;
  return lines(`
    [${at(0)}] rename-container container:demo-api-1 from=${OLD_ID} to=demo-api-1-previous-aaaaaaaaaaaa (${cause}: renamed aside to free the name)${needs.length > 0 ? ` after [${needs.join(',')}]` : ''}
    [${at(1)}] create-container container:demo-api-1 inherit-volumes=aaaaaaaaaaaa (${cause}) after [${after(0)}]
    [${at(2)}] connect-network container:demo-api-1 network=demo_front (additional network) after [${at(1)}]
    [${at(3)}] start-container container:demo-api-1 (${cause}) after [${at(1)},${at(2)}]
    [${at(4)}] wait container:demo-api-1 condition=running monitor=10s (rollout: the replacement must stay running for 10s before the old container goes) after [${at(3)}]
    [${at(5)}] stop-container container:demo-api-1 id=aaaaaaaaaaaa signal=SIGINT timeout=30s (${cause}) after [${at(1)},${at(2)},${at(4)}]
    [${at(6)}] remove-container container:demo-api-1 id=aaaaaaaaaaaa (rollout: replaced) after [${at(1)},${at(2)},${at(4)},${at(5)}]
    [${at(7)}] remove-container container:demo-api-1 force (${back}) after [${at(0)}] if [${at(1)},${at(2)},${at(3)},${at(4)}] fail
    [${at(8)}] rename-container container:demo-api-1 from=${OLD_ID} (${back}) after [${at(7)}] if [${at(1)},${at(2)},${at(3)},${at(4)}] fail
    [${at(9)}] start-container container:demo-api-1 id=aaaaaaaaaaaa (${back}) after [${at(7)},${at(8)}] if [${at(1)},${at(2)},${at(3)},${at(4)}] fail
  `);
};

interface ChangeScenario {
  name: string;
  container: Partial<ObservedContainer>;
  /** Changes to the otherwise converged state, after the container is put in. */
  state?: (state: ObservedState) => ObservedState;
  options?: Partial<PlanOptions>;
  expected: string;
}

describe('plan: a container that differs from its service', () => {
  it.each(named<ChangeScenario>([
    {
      name: 'a changed spec must replace the container, the new one created before the old one goes',
      container: { id: OLD_ID, specHash: 'an-older-spec' },
      expected: REPLACE_API('spec changed'),
    },
    {
      name: 'a changed image in the spec must name the images in the cause',
      container: { id: OLD_ID, specHash: 'an-older-spec', image: 'acme/api:1', imageId: imageIdFor('acme/api:1') },
      expected: REPLACE_API('spec changed: image acme/api:1 -> acme/api:2'),
    },
    {
      name: 'a replacement must wait for the pull of an image not yet present',
      container: { id: OLD_ID, specHash: 'an-older-spec', image: 'acme/api:1', imageId: imageIdFor('acme/api:1') },
      state: (state) => ({ ...state, images: [observedImage('acme/api:1')] }),
      expected: `[0] pull-image image:acme/api:2 (image not present)\n${REPLACE_API('spec changed: image acme/api:1 -> acme/api:2', 1, [0])}`,
    },
    {
      name: 'a stopped container with a changed spec must be removed without a stop',
      container: { id: OLD_ID, specHash: 'an-older-spec', state: 'exited', exitCode: 0 },
      expected: lines(`
        [0] create-container container:demo-api-1 name=aaaaaaaaaaaa_demo-api-1 inherit-volumes=aaaaaaaaaaaa (spec changed)
        [1] remove-container container:demo-api-1 id=aaaaaaaaaaaa (spec changed) after [0]
        [2] rename-container container:demo-api-1 from=aaaaaaaaaaaa_demo-api-1 (spec changed) after [1]
        [3] connect-network container:demo-api-1 network=demo_front (additional network) after [2]
        [4] start-container container:demo-api-1 (spec changed) after [3]
      `),
    },
    {
      name: 'a container whose image tag moved must be replaced',
      container: { id: OLD_ID, imageId: 'sha256:an-older-build' },
      expected: REPLACE_API('image changed'),
    },
    {
      name: 'different limits alone must be updated in place, never by a replacement',
      container: { limitsHash: 'older-limits', limits: RUNNING_LIMITS },
      expected: '[0] update-container container:demo-api-1 (limits changed: memory 268435456 -> 536870912)',
    },
    {
      name: 'limits already applied in place must plan nothing, whatever the label says',
      container: { limitsHash: 'older-limits', limits: { ...RUNNING_LIMITS, memoryBytes: 536870912 } },
      expected: 'no changes',
    },
    {
      name: 'a limits label that differs on a container not inspected must still be updated',
      container: { limitsHash: 'older-limits', limits: null },
      expected: '[0] update-container container:demo-api-1 (limits changed)',
    },
    {
      name: 'a container missing one of its networks must be connected to it',
      container: { networks: ['demo_back'] },
      expected: '[0] connect-network container:demo-api-1 network=demo_front (not connected to network demo_front)',
    },
    {
      name: 'a connect to a network that is missing must wait for its creation',
      container: { networks: ['demo_back'] },
      state: (state) => ({ ...state, networks: [observedNetwork('demo', 'demo_back')] }),
      expected: lines(`
        [0] create-network network:demo_front (not found)
        [1] connect-network container:demo-api-1 network=demo_front (not connected to network demo_front) after [0]
      `),
    },
    {
      name: 'a replacement interrupted after the old container was removed must be finished by a rename',
      container: { id: OLD_ID, name: 'aaaaaaaaaaaa_demo-api-1' },
      expected: '[0] rename-container container:demo-api-1 from=aaaaaaaaaaaa_demo-api-1 (interrupted replacement: named aaaaaaaaaaaa_demo-api-1)',
    },
  ]))('%s', (_name, { container, state, options, expected }) => {
    const observed = { ...convergedState(API), containers: [convergedContainer(API, 'api', 1, container)] };
    expect(planText(API, state ? state(observed) : observed, options)).toBe(expected);
  });
});
