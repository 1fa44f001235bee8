import { describe, expect, it } from 'vitest';
import type { ObservedContainer, ObservedState } from '../observe/observed-state.js';
import {
  convergedContainer,
  convergedState,
  emptyState,
  lines,
  named,
  planText,
  projectFromYaml,
  withContainer,
} from '../observe/observed-builders.test-support.js';

const STACK = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    healthcheck: { test: ["CMD", "pg_isready"] }
    volumes: [data:/var/lib/postgresql/data]
    networks: [back]
  api:
    build: ./api
    depends_on: { db: { condition: service_healthy } }
    networks: { front: {}, back: { priority: 10 } }
  web:
    image: nginx
    depends_on: [api]
    networks: [front]
networks: { front: {}, back: {} }
volumes: { data: {} }
`);
const BUILD_HASHES = { api: 'inputs-1' };

describe('plan: from nothing, and at rest', () => {
  it('an empty engine must get every object created, dependencies first', () => {
    expect(planText(STACK, emptyState('demo'), { buildHashes: BUILD_HASHES })).toBe(
      lines(`
        [0] create-network network:demo_back (not found)
        [1] create-network network:demo_front (not found)
        [2] create-volume volume:demo_data (not found)
        [3] pull-image image:postgres:16 (image not present)
        [4] build-image image:demo-api (not built)
        [5] pull-image image:nginx (image not present)
        [6] create-container container:demo-db-1 (not found) after [0,2,3]
        [7] start-container container:demo-db-1 (new container) after [6]
        [8] wait container:demo-db-1 condition=healthy (needed by api: service_healthy) after [7]
        [9] create-container container:demo-api-1 (not found) after [0,1,4,8]
        [10] connect-network container:demo-api-1 network=demo_front (additional network) after [9]
        [11] start-container container:demo-api-1 (new container) after [10]
        [12] create-container container:demo-web-1 (not found) after [1,5,11]
        [13] start-container container:demo-web-1 (new container) after [12]
      `),
    );
  });

  it('a converged project must plan no changes, not even waits', () => {
    expect(planText(STACK, convergedState(STACK, { buildHashes: BUILD_HASHES }), { buildHashes: BUILD_HASHES })).toBe('no changes');
  });

  it('a wait must carry the configured timeout', () => {
    const observed = convergedState(STACK, { buildHashes: BUILD_HASHES });
    const withoutApi: ObservedState = { ...observed, containers: observed.containers.filter((container) => container.service !== 'api') };
    expect(planText(STACK, withoutApi, { buildHashes: BUILD_HASHES, waitTimeoutSeconds: 60 })).toBe(
      lines(`
        [0] wait container:demo-db-1 condition=healthy timeout=60s (needed by api: service_healthy)
        [1] create-container container:demo-api-1 (not found) after [0]
        [2] connect-network container:demo-api-1 network=demo_front (additional network) after [1]
        [3] start-container container:demo-api-1 (new container) after [2]
      `),
    );
  });
});

const LIFECYCLES = projectFromYaml(`
name: demo
services:
  app: { image: busybox:1, restart: always }
  job: { image: busybox:1, restart: "no" }
  retry: { image: busybox:1, restart: on-failure }
`);

interface StateScenario {
  name: string;
  service: string;
  container: Partial<ObservedContainer>;
  expected: string;
}

describe('plan: container states', () => {
  it.each(named<StateScenario>([
    {
      name: 'a stopped service container must be started',
      service: 'app',
      container: { state: 'exited', exitCode: 137 },
      expected: '[0] start-container container:demo-app-1 (exited (137))',
    },
    {
      name: 'a long-running service that exited 0 must be started again',
      service: 'app',
      container: { state: 'exited', exitCode: 0 },
      expected: '[0] start-container container:demo-app-1 (exited (0))',
    },
    {
      name: 'a created but never started container must be started',
      service: 'app',
      container: { state: 'created' },
      expected: '[0] start-container container:demo-app-1 (created, not started)',
    },
    {
      name: 'a dead container must be started',
      service: 'app',
      container: { state: 'dead' },
      expected: '[0] start-container container:demo-app-1 (dead)',
    },
    {
      name: 'a completed one-shot (restart "no") must be left alone',
      service: 'job',
      container: { state: 'exited', exitCode: 0 },
      expected: 'no changes\n- container:demo-job-1: completed (exited 0): nothing to do',
    },
    {
      name: 'a completed one-shot (restart on-failure) must be left alone',
      service: 'retry',
      container: { state: 'exited', exitCode: 0 },
      expected: 'no changes\n- container:demo-retry-1: completed (exited 0): nothing to do',
    },
    {
      name: 'a failed one-shot must be run again',
      service: 'job',
      container: { state: 'exited', exitCode: 1 },
      expected: '[0] start-container container:demo-job-1 (exited (1))',
    },
    {
      name: 'a paused container must only be reported',
      service: 'app',
      container: { state: 'paused' },
      expected: 'no changes\n- container:demo-app-1: paused: left paused (unpause it to resume)',
    },
    {
      name: 'a restarting container must be left to its restart policy',
      service: 'app',
      container: { state: 'restarting' },
      expected: 'no changes',
    },
    {
      name: 'an unhealthy running container must be reported, not restarted',
      service: 'app',
      container: { health: 'unhealthy' },
      expected: 'no changes\n- container:demo-app-1: running but unhealthy: left running',
    },
  ]))('%s', (_name, { service, container, expected }) => {
    const observed = withContainer(convergedState(LIFECYCLES), convergedContainer(LIFECYCLES, service, 1, container));
    expect(planText(LIFECYCLES, observed)).toBe(expected);
  });
});
