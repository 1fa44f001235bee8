import { describe, expect, it } from 'vitest';
import { OWNED_BY_COMPOSELET } from '../../labels.js';
import type { ObservedState } from '../../observe/observed-state.js';
import {
  convergedState,
  lines,
  named,
  observedNetwork,
  orphanContainer,
  planText,
  projectFromYaml,
  repeatedId,
  unownedContainer,
} from '../../observe/observed-builders.test-support.js';
import type { PlanOptions } from '../planner.js';

const PROJECT = projectFromYaml(`
name: demo
services:
  api: { image: acme/api:1 }
  proxy: { image: nginx:1, networks: [edge] }
  store: { image: minio:1, volumes: [blobs:/data] }
  debug: { image: busybox:1, profiles: [debug] }
networks:
  edge: { external: true, name: shared-edge }
volumes:
  blobs: { external: true }
`);

const converged = () => convergedState(PROJECT);
const without = (state: ObservedState, service: string): ObservedState => ({
  ...state,
  containers: state.containers.filter((container) => container.service !== service),
});

interface OwnershipScenario {
  name: string;
  state: () => ObservedState;
  options?: Partial<PlanOptions>;
  expected: string;
}

describe('plan: ownership, orphans and external resources', () => {
  it.each(
    named<OwnershipScenario>([
      {
        name: 'an orphan must be kept and reported without --prune',
        state: () => ({ ...converged(), containers: [...converged().containers, orphanContainer('demo', 'old')] }),
        expected: lines(`
          no changes
          - container:demo-old-1: orphan (service removed from the manifests): kept; apply with --prune to remove
        `),
      },
      {
        name: 'an orphan must be stopped and removed with --prune',
        state: () => ({ ...converged(), containers: [...converged().containers, orphanContainer('demo', 'old')] }),
        options: { prune: true },
        expected: lines(`
          [0] stop-container container:demo-old-1 timeout=10s (orphan: service removed from the manifests)
          [1] remove-container container:demo-old-1 (orphan: service removed from the manifests) after [0]
        `),
      },
      {
        name: 'a stopped orphan must be removed without a stop with --prune',
        state: () => ({ ...converged(), containers: [...converged().containers, orphanContainer('demo', 'old', 1, { state: 'exited', exitCode: 0 })] }),
        options: { prune: true },
        expected: '[0] remove-container container:demo-old-1 (orphan: service removed from the manifests)',
      },
      {
        name: 'a container of a service left out by the active profiles must be reported as an orphan',
        state: () => ({ ...converged(), containers: [...converged().containers, orphanContainer('demo', 'debug')] }),
        expected: lines(`
          no changes
          - container:demo-debug-1: orphan (service not in the active profiles): kept; apply with --prune to remove
        `),
      },
      {
        name: 'a container with the project label but no ownership label must be left alone, even with --prune',
        state: () => {
          const legacy = orphanContainer('demo', 'legacy', 1, { owned: false });
          delete legacy.labels[OWNED_BY_COMPOSELET];
          return { ...converged(), containers: [...converged().containers, legacy] };
        },
        options: { prune: true },
        expected: lines(`
          no changes
          - container:demo-legacy-1: not owned by composelet: left alone
        `),
      },
      {
        name: 'an unowned container with the compose labels of a service must stop the whole plan until the project is adopted',
        state: () => ({ ...without(converged(), 'api'), containers: [...without(converged(), 'api').containers, unownedContainer(PROJECT, 'api', 1, { id: repeatedId('b') })] }),
        expected: lines(`
          no changes
          ! project:demo: running under docker compose, not adopted: api (demo-api-1); nothing was changed: take it over with \`composelet adopt PATH\` (or \`apply --adopt\`; the controller: \`run --adopt\` or \`x-composelet: { adopt: true }\`)
        `),
      },
      {
        name: 'an unowned network of the project (docker compose made it) must be used as it is, not created',
        state: () => ({
          ...without(converged(), 'api'),
          networks: converged().networks.map((network) => (network.name === 'demo_default' ? observedNetwork('demo', 'demo_default', { owned: false }) : network)),
        }),
        expected: lines(`
          [0] create-container container:demo-api-1 (not found)
          [1] start-container container:demo-api-1 (new container) after [0]
          - network:demo_default: made by docker compose: used as it is
        `),
      },
      {
        name: 'an unowned network of another project holding the name must be used as it is, and said not to be owned',
        state: () => ({
          ...without(converged(), 'api'),
          networks: converged().networks.map((network) => (network.name === 'demo_default' ? observedNetwork('demo', 'demo_default', { owned: false, project: 'other' }) : network)),
        }),
        expected: lines(`
          [0] create-container container:demo-api-1 (not found)
          [1] start-container container:demo-api-1 (new container) after [0]
          - network:demo_default: not owned by composelet: left alone
        `),
      },
      {
        name: 'a missing external network must be reported and block only the services using it',
        state: () => ({
          ...without(without(converged(), 'proxy'), 'api'),
          networks: converged().networks.filter((network) => network.name !== 'shared-edge'),
        }),
        expected: lines(`
          [0] create-container container:demo-api-1 (not found)
          [1] start-container container:demo-api-1 (new container) after [0]
          ! network:shared-edge: external network "shared-edge" not found: create it, or drop \`external: true\`
        `),
      },
      {
        name: 'a missing external volume must be reported and its service left as it is',
        state: () => ({ ...converged(), volumes: [] }),
        expected: lines(`
          no changes
          ! volume:blobs: external volume "blobs" not found: create it, or drop \`external: true\`
        `),
      },
      {
        name: 'external resources that exist must need nothing and say nothing',
        state: converged,
        expected: 'no changes',
      },
    ]),
  )('%s', (_name, { state, options, expected }) => {
    expect(planText(PROJECT, state(), options)).toBe(expected);
  });
});
