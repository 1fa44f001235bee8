import { describe, expect, it } from 'vitest';
import { convergedState, lines, projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import { renderPlan } from '../../reconciler/plan/render-plan.js';
import { planRestart, restartLevels } from './plan-restart.js';

// The ordered restart as a plan: stops dependents first, starts dependencies first, each level waiting for
// the one below to be healthy.

const STACK = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    healthcheck: { test: ["CMD", "pg_isready"] }
  cache:
    image: redis:7
  api:
    image: acme/api:1
    depends_on: [db, cache]
  ui:
    image: acme/ui:1
    depends_on: [api]
  docs:
    image: acme/docs:1
`);

describe('restart: order', () => {
  it.each<[string, string[], boolean, string[][]]>([
    ['a named service alone', ['db'], false, [['db']]],
    ['with every service that depends on it, level by level', ['db'], true, [['db'], ['api'], ['ui']]],
    ['a leaf with dependents is itself', ['ui'], true, [['ui']]],
    ['no service named: the whole project', [], false, [['cache', 'db', 'docs'], ['api'], ['ui']]],
  ])('%s', (_name, services, withDependents, expected) => {
    expect(restartLevels(STACK, { services, withDependents })).toEqual(expected);
  });

  it('restart --with-dependents db must stop ui, api, db in that order, then start db, wait healthy, api, ui', () => {
    const text = renderPlan(planRestart(STACK, convergedState(STACK), { services: ['db'], withDependents: true, waitTimeoutSeconds: 60 }));
    expect(text).toBe(
      lines(`
        [0] stop-container container:demo-ui-1 timeout=10s (restart of db with dependents)
        [1] stop-container container:demo-api-1 timeout=10s (restart of db with dependents) after [0]
        [2] stop-container container:demo-db-1 timeout=10s (restart of db with dependents) after [1]
        [3] start-container container:demo-db-1 (restart of db with dependents) after [0,1,2]
        [4] wait container:demo-db-1 condition=healthy timeout=60s (restart of db with dependents: level 0 before the next) after [3]
        [5] start-container container:demo-api-1 (restart of db with dependents) after [4]
        [6] wait container:demo-api-1 condition=running timeout=60s (restart of db with dependents: level 1 before the next) after [5]
        [7] start-container container:demo-ui-1 (restart of db with dependents) after [6]
        [8] wait container:demo-ui-1 condition=running timeout=60s (restart of db with dependents: level 2 before the next) after [7]
      `),
    );
  });

  it('a service without a container must be a problem, not a create', () => {
    const observed = { ...convergedState(STACK), containers: convergedState(STACK).containers.filter((container) => container.service !== 'db') };
    const restart = planRestart(STACK, observed, { services: ['db'], withDependents: false, waitTimeoutSeconds: 60 });
    expect(restart.problems.map((problem) => problem.message)).toEqual(["db has no container to restart: run 'composelet apply' first"]);
    expect(restart.operations.filter((operation) => operation.kind === 'create-container')).toEqual([]);
  });
});
