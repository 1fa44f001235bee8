import { describe, expect, it } from 'vitest';
import type { Project } from '../../../desired-state/model.js';
import type { ObservedContainer, ObservedState } from '../../observe/observed-state.js';
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

const STACK = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    healthcheck: { test: ["CMD", "pg_isready"] }
  migrate:
    image: acme/migrate:1
    depends_on: { db: { condition: service_healthy } }
  api:
    image: acme/api:1
    depends_on:
      db: { condition: service_healthy, restart: true }
      migrate: { condition: service_completed_successfully }
  web:
    image: nginx:1
    depends_on: [api]
`);

/** The stack at rest: everything running, the migration completed. */
const atRest = (): ObservedState =>
  withContainer(convergedState(STACK), convergedContainer(STACK, 'migrate', 1, { state: 'exited', exitCode: 0 }));
const MIGRATE_COMPLETED = '- container:demo-migrate-1: completed (exited 0): nothing to do';

function changed(state: ObservedState, project: Project, service: string, overrides: Partial<ObservedContainer>): ObservedState {
  return withContainer(state, convergedContainer(project, service, 1, overrides));
}

function removed(state: ObservedState, service: string): ObservedState {
  return { ...state, containers: state.containers.filter((container) => container.service !== service) };
}

interface DependencyScenario {
  name: string;
  state: () => ObservedState;
  waitTimeoutSeconds?: number;
  expected: string;
}

describe('plan: dependency order', () => {
  it.each(
    named<DependencyScenario>([
      {
        name: 'a converged stack must plan no waits',
        state: atRest,
        expected: `no changes\n${MIGRATE_COMPLETED}`,
      },
      {
        name: 'a missing dependent must wait for its running dependencies to be healthy and completed',
        state: () => removed(atRest(), 'api'),
        expected: lines(`
          [0] wait container:demo-db-1 condition=healthy (needed by api: service_healthy)
          [1] wait container:demo-migrate-1 condition=completed-successfully (needed by api: service_completed_successfully)
          [2] create-container container:demo-api-1 (not found) after [0,1]
          [3] start-container container:demo-api-1 (new container) after [2]
          ${MIGRATE_COMPLETED}
        `),
      },
      {
        name: 'a restart of a dependent must wait for its dependencies too',
        state: () => changed(atRest(), STACK, 'api', { state: 'exited', exitCode: 137 }),
        expected: lines(`
          [0] wait container:demo-db-1 condition=healthy (needed by api: service_healthy)
          [1] wait container:demo-migrate-1 condition=completed-successfully (needed by api: service_completed_successfully)
          [2] start-container container:demo-api-1 (exited (137)) after [0,1]
          ${MIGRATE_COMPLETED}
        `),
      },
      {
        name: 'a started dependency must gate a service_started dependent only when its start is planned',
        state: () => removed(atRest(), 'web'),
        expected: lines(`
          [0] create-container container:demo-web-1 (not found)
          [1] start-container container:demo-web-1 (new container) after [0]
          ${MIGRATE_COMPLETED}
        `),
      },
      {
        name: 'a dependency started by the plan must gate a service_started dependent',
        state: () => removed(removed(atRest(), 'web'), 'api'),
        expected: lines(`
          [0] wait container:demo-db-1 condition=healthy (needed by api: service_healthy)
          [1] wait container:demo-migrate-1 condition=completed-successfully (needed by api: service_completed_successfully)
          [2] create-container container:demo-api-1 (not found) after [0,1]
          [3] start-container container:demo-api-1 (new container) after [2]
          [4] create-container container:demo-web-1 (not found) after [3]
          [5] start-container container:demo-web-1 (new container) after [4]
          ${MIGRATE_COMPLETED}
        `),
      },
      {
        name: 'a stopped dependency must be started without touching dependents that need nothing',
        state: () => changed(atRest(), STACK, 'db', { state: 'exited', exitCode: 137 }),
        expected: lines(`
          [0] start-container container:demo-db-1 (exited (137))
          ${MIGRATE_COMPLETED}
        `),
      },
      {
        name: 'a recreated dependency must restart the running dependents that declare restart: true, once it is healthy',
        state: () => changed(atRest(), STACK, 'db', { id: repeatedId('a'), specHash: 'an-older-spec' }),
        expected: lines(`
          [0] rename-container container:demo-db-1 from=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa to=demo-db-1-previous-aaaaaaaaaaaa (spec changed: renamed aside to free the name)
          [1] create-container container:demo-db-1 inherit-volumes=aaaaaaaaaaaa (spec changed) after [0]
          [2] start-container container:demo-db-1 (spec changed) after [1]
          [3] wait container:demo-db-1 condition=healthy monitor=0s (rollout: the replacement must be healthy before the old container goes) after [2]
          [4] stop-container container:demo-db-1 id=aaaaaaaaaaaa timeout=10s (spec changed) after [1,3]
          [5] remove-container container:demo-db-1 id=aaaaaaaaaaaa (rollout: replaced) after [1,3,4]
          [6] remove-container container:demo-db-1 force (rollout failed: demo-db-1 comes back (aaaaaaaaaaaa)) after [0] if [1,2,3] fail
          [7] rename-container container:demo-db-1 from=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (rollout failed: demo-db-1 comes back (aaaaaaaaaaaa)) after [6] if [1,2,3] fail
          [8] start-container container:demo-db-1 id=aaaaaaaaaaaa (rollout failed: demo-db-1 comes back (aaaaaaaaaaaa)) after [6,7] if [1,2,3] fail
          [9] wait container:demo-db-1 condition=healthy (needed by api: service_healthy) after [3]
          [10] wait container:demo-migrate-1 condition=completed-successfully (needed by api: service_completed_successfully)
          [11] stop-container container:demo-api-1 timeout=10s (dependency db was recreated) after [9,10]
          [12] start-container container:demo-api-1 (dependency db was recreated) after [11]
          ${MIGRATE_COMPLETED}
        `),
      },
      {
        name: 'a wait must say how long it may take when a timeout is set',
        state: () => removed(atRest(), 'api'),
        waitTimeoutSeconds: 90,
        expected: lines(`
          [0] wait container:demo-db-1 condition=healthy timeout=90s (needed by api: service_healthy)
          [1] wait container:demo-migrate-1 condition=completed-successfully timeout=90s (needed by api: service_completed_successfully)
          [2] create-container container:demo-api-1 (not found) after [0,1]
          [3] start-container container:demo-api-1 (new container) after [2]
          ${MIGRATE_COMPLETED}
        `),
      },
    ]),
  )('%s', (_name, { state, waitTimeoutSeconds, expected }) => {
    expect(planText(STACK, state(), waitTimeoutSeconds === undefined ? {} : { waitTimeoutSeconds })).toBe(expected);
  });
});
