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

const REPLACE_API = (cause: string, first = 0) =>
  lines(`
    [${first}] create-container container:demo-api-1 name=aaaaaaaaaaaa_demo-api-1 inherit-volumes=aaaaaaaaaaaa (${cause})
    [${first + 1}] stop-container container:demo-api-1 id=aaaaaaaaaaaa signal=SIGINT timeout=30s (${cause}) after [${first}]
    [${first + 2}] remove-container container:demo-api-1 id=aaaaaaaaaaaa (${cause}) after [${first + 1}]
    [${first + 3}] rename-container container:demo-api-1 from=aaaaaaaaaaaa_demo-api-1 (${cause}) after [${first + 2}]
    [${first + 4}] connect-network container:demo-api-1 network=demo_front (additional network) after [${first + 3}]
    [${first + 5}] start-container container:demo-api-1 (${cause}) after [${first + 4}]
  `);

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
      expected: lines(`
        [0] pull-image image:acme/api:2 (image not present)
        [1] create-container container:demo-api-1 name=aaaaaaaaaaaa_demo-api-1 inherit-volumes=aaaaaaaaaaaa (spec changed: image acme/api:1 -> acme/api:2) after [0]
        [2] stop-container container:demo-api-1 id=aaaaaaaaaaaa signal=SIGINT timeout=30s (spec changed: image acme/api:1 -> acme/api:2) after [1]
        [3] remove-container container:demo-api-1 id=aaaaaaaaaaaa (spec changed: image acme/api:1 -> acme/api:2) after [2]
        [4] rename-container container:demo-api-1 from=aaaaaaaaaaaa_demo-api-1 (spec changed: image acme/api:1 -> acme/api:2) after [3]
        [5] connect-network container:demo-api-1 network=demo_front (additional network) after [4]
        [6] start-container container:demo-api-1 (spec changed: image acme/api:1 -> acme/api:2) after [5]
      `),
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
