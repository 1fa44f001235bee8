import { describe, expect, it } from 'vitest';
import type { ObservedContainer, ObservedState } from '../../observe/observed-state.js';
import {
  convergedContainer,
  convergedState,
  lines,
  named,
  observedNetwork,
  observedVolume,
  planText,
  projectFromYaml,
  repeatedId,
  unownedContainer,
} from '../../observe/observed-builders.test-support.js';
import { plan, type PlanOptions } from '../planner.js';

// Adoption: a project docker compose runs is taken over only when asked, one service at a time in
// dependency order, each replacement created before its compose container stops, proven before the old
// one goes, and with a way back when it fails.

const PROJECT = projectFromYaml(`
name: demo
services:
  db: { image: postgres:15, volumes: [data:/var/lib/postgresql/data], healthcheck: { test: [CMD, pg_isready] } }
  migrate: { image: acme/api:1, restart: "no", depends_on: { db: { condition: service_healthy } } }
  api: { image: acme/api:1, ports: ["8000:8000"], depends_on: { migrate: { condition: service_completed_successfully } } }
volumes:
  data: {}
`);

/** What docker compose leaves: its containers (v1 or v2 names), its network and volume, no composelet labels. */
function composeState(naming: 'v1' | 'v2', overrides: Record<string, Partial<ObservedContainer>> = {}): ObservedState {
  const state = convergedState(PROJECT);
  const name = (service: string) => (naming === 'v1' ? `demo_${service}_1` : `demo-${service}-1`);
  const ids: Record<string, string> = { api: repeatedId('a'), db: repeatedId('d'), migrate: repeatedId('e') };
  return {
    ...state,
    containers: ['api', 'db', 'migrate']
      .map((service) => unownedContainer(PROJECT, service, 1, { id: ids[service]!, name: name(service), ...overrides[service] }))
      .sort((left, right) => (left.name < right.name ? -1 : 1)),
    networks: [observedNetwork('demo', 'demo_default', { owned: false })],
    volumes: [observedVolume('demo', 'demo_data', { owned: false })],
  };
}

const completedMigrate = { state: 'exited' as const, exitCode: 0 };

interface Scenario {
  name: string;
  state: () => ObservedState;
  options?: Partial<PlanOptions>;
  expected: string;
}

describe('plan: adopting a project docker compose runs', () => {
  it.each(
    named<Scenario>([
      {
        name: 'without adopt, a compose-made project must not be changed at all, with one error saying how to adopt',
        state: () => composeState('v1', { migrate: completedMigrate }),
        expected: lines(`
          no changes
          ! project:demo: running under docker compose, not adopted: api (demo_api_1), db (demo_db_1), migrate (demo_migrate_1); nothing was changed: take it over with \`composelet adopt PATH\` (or \`apply --adopt\`; the controller: \`run --adopt\` or \`x-composelet: { adopt: true }\`)
        `),
      },
      {
        name: 'v1 names: each service must be replaced in dependency order, created before the old one stops, proven before it goes, with fallbacks',
        state: () => composeState('v1', { migrate: completedMigrate }),
        options: { adopt: true },
        expected: lines(`
          [0] create-container container:demo-db-1 inherit-volumes=dddddddddddd (adopt: made by docker compose as demo_db_1)
          [1] stop-container container:demo-db-1 id=dddddddddddd timeout=10s (adopt: made by docker compose as demo_db_1) after [0]
          [2] start-container container:demo-db-1 (adopt: made by docker compose as demo_db_1) after [0,1]
          [3] wait container:demo-db-1 condition=healthy (adopt: made by docker compose as demo_db_1: the replacement must prove itself before the old container goes) after [2]
          [4] remove-container container:demo_db_1 id=dddddddddddd (adopt: made by docker compose as demo_db_1: replaced) after [0,3]
          [5] remove-container container:demo-db-1 force (adopt failed: demo_db_1 comes back) if [0,1,2,3] fail
          [6] start-container container:demo-db-1 id=dddddddddddd (adopt failed: demo_db_1 comes back) after [5] if [0,1,2,3] fail
          [7] wait container:demo-db-1 condition=healthy (needed by migrate: service_healthy) after [2]
          [8] create-container container:demo-migrate-1 inherit-volumes=eeeeeeeeeeee (adopt: made by docker compose as demo_migrate_1) after [4,7]
          [9] remove-container container:demo_migrate_1 id=eeeeeeeeeeee (adopt: made by docker compose as demo_migrate_1: replaced) after [8]
          [10] remove-container container:demo-migrate-1 force (adopt failed: demo_migrate_1 comes back) if [8] fail
          [11] wait container:demo-migrate-1 condition=completed-successfully (needed by api: service_completed_successfully) after [8]
          [12] create-container container:demo-api-1 inherit-volumes=aaaaaaaaaaaa (adopt: made by docker compose as demo_api_1) after [9,11]
          [13] stop-container container:demo-api-1 id=aaaaaaaaaaaa timeout=10s (adopt: made by docker compose as demo_api_1) after [12]
          [14] start-container container:demo-api-1 (adopt: made by docker compose as demo_api_1) after [12,13]
          [15] wait container:demo-api-1 condition=running (adopt: made by docker compose as demo_api_1: the replacement must prove itself before the old container goes) after [14]
          [16] remove-container container:demo_api_1 id=aaaaaaaaaaaa (adopt: made by docker compose as demo_api_1: replaced) after [12,15]
          [17] remove-container container:demo-api-1 force (adopt failed: demo_api_1 comes back) if [12,13,14,15] fail
          [18] start-container container:demo-api-1 id=aaaaaaaaaaaa (adopt failed: demo_api_1 comes back) after [17] if [12,13,14,15] fail
          ~ adopt service:db from docker compose: demo_db_1 (v1 name, running) by [0-6]
          ~ adopt service:migrate from docker compose: demo_migrate_1 (v1 name, exited (0)) by [7-10]
          ~ adopt service:api from docker compose: demo_api_1 (v1 name, running) by [11-18]
          - network:demo_default: made by docker compose: used as it is
          - volume:demo_data: made by docker compose: used as it is
        `),
      },
      {
        name: 'v2 names: the compose container must be renamed aside before its replacement takes the name, and renamed back if it fails',
        state: () => composeState('v2', { migrate: completedMigrate }),
        options: { adopt: true },
        expected: lines(`
          [0] rename-container container:demo-db-1 from=dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd to=demo-db-1-previous-dddddddddddd (adopt: made by docker compose as demo-db-1: renamed aside to free the name)
          [1] create-container container:demo-db-1 inherit-volumes=dddddddddddd (adopt: made by docker compose as demo-db-1) after [0]
          [2] stop-container container:demo-db-1 id=dddddddddddd timeout=10s (adopt: made by docker compose as demo-db-1) after [1]
          [3] start-container container:demo-db-1 (adopt: made by docker compose as demo-db-1) after [1,2]
          [4] wait container:demo-db-1 condition=healthy (adopt: made by docker compose as demo-db-1: the replacement must prove itself before the old container goes) after [3]
          [5] remove-container container:demo-db-1 id=dddddddddddd (adopt: made by docker compose as demo-db-1: replaced) after [1,4]
          [6] remove-container container:demo-db-1 force (adopt failed: demo-db-1 comes back) after [0] if [1,2,3,4] fail
          [7] rename-container container:demo-db-1 from=dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd (adopt failed: demo-db-1 comes back) after [6] if [1,2,3,4] fail
          [8] start-container container:demo-db-1 id=dddddddddddd (adopt failed: demo-db-1 comes back) after [6,7] if [1,2,3,4] fail
        `),
      },
      {
        name: 'an adoption interrupted after its replacement ran must only clear the compose container away',
        state: () => ({
          ...composeState('v1'),
          containers: [
            ...composeState('v1', { db: { state: 'exited', exitCode: 0 } }).containers,
            convergedContainer(PROJECT, 'db', 1, { health: 'healthy' }),
          ].sort((left, right) => (left.name < right.name ? -1 : 1)),
        }),
        options: { adopt: true },
        expected: lines(`
          [0] remove-container container:demo_db_1 id=dddddddddddd (adopt: left over from an interrupted adoption (the replacement runs))
        `),
      },
      {
        name: 'a replacement an interrupted adoption created but never started must be cleared and the adoption made again',
        state: () => ({
          ...composeState('v1'),
          containers: [...composeState('v1').containers, convergedContainer(PROJECT, 'db', 1, { state: 'created', id: repeatedId('f') })].sort((left, right) =>
            left.name < right.name ? -1 : 1,
          ),
        }),
        options: { adopt: true },
        expected: lines(`
          [0] remove-container container:demo-db-1 id=ffffffffffff force (adopt: half-made replacement of an interrupted adoption)
          [1] create-container container:demo-db-1 inherit-volumes=dddddddddddd (adopt: made by docker compose as demo_db_1) after [0]
        `),
      },
    ]),
  )('%s', (_name, scenario) => {
    const text = planText(PROJECT, scenario.state(), scenario.options);
    // Scenarios about one service list only its first lines.
    const expectedLines = scenario.expected.split('\n');
    expect(text.split('\n').slice(0, expectedLines.length).join('\n')).toBe(scenario.expected);
  });

  it('a project with a compose-made service must not get a single operation without adopt, whatever else differs', () => {
    const state = composeState('v1');
    const result = plan(PROJECT, { ...state, networks: [], volumes: [] }, { prune: true, buildHashes: {} });
    expect(result.operations).toEqual([]);
    expect(result.problems).toHaveLength(1);
  });

  it('a compose container whose number is beyond the replicas must be removed after the adoption, its volumes kept', () => {
    const state = composeState('v1');
    const extra = unownedContainer(PROJECT, 'api', 2, { id: repeatedId('b'), name: 'demo_api_2' });
    const result = plan(PROJECT, { ...state, containers: [...state.containers, extra] }, { prune: false, buildHashes: {}, adopt: true });
    const removal = result.operations.filter((operation) => operation.resourceId === 'container:demo_api_2');
    expect(removal.map((operation) => operation.kind)).toEqual(['stop-container', 'remove-container']);
    expect(removal.every((operation) => operation.kind !== 'remove-container' || !operation.removeAnonymousVolumes)).toBe(true);
    expect(result.adoptions.find((adoption) => adoption.service === 'api')?.containers.map((container) => container.name)).toEqual(['demo_api_1', 'demo_api_2']);
  });

  it('networks and volumes docker compose made must never be created again nor removed', () => {
    const result = plan(PROJECT, composeState('v2'), { prune: true, buildHashes: {}, adopt: true });
    const kinds = result.operations.map((operation) => operation.kind);
    expect(kinds).not.toContain('create-network');
    expect(kinds).not.toContain('create-volume');
    expect(kinds).not.toContain('remove-network');
    expect(kinds).not.toContain('remove-volume');
    expect(result.operations.some((operation) => operation.kind === 'remove-container' && operation.removeAnonymousVolumes)).toBe(false);
  });
});
