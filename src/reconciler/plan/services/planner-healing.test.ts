import { describe, expect, it } from 'vitest';
import { convergedContainer, convergedState, lines, planText, projectFromYaml, withContainer } from '../../observe/observed-builders.test-support.js';

// The controller's healing decisions as planner inputs: a crash-looping service's starts are held
// (a note says why), an unhealthy container is restarted in place, and `restart: true` dependents
// follow their restarted dependency.

const STACK = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    restart: unless-stopped
    healthcheck: { test: ["CMD", "pg_isready"] }
  api:
    image: acme/api:1
    restart: unless-stopped
    depends_on:
      db: { condition: service_healthy, restart: true }
  web:
    image: nginx:1
    restart: unless-stopped
    depends_on: [api]
`);

describe('plan: healing directives', () => {
  it('a held service must get a note instead of a start', () => {
    const state = withContainer(convergedState(STACK), convergedContainer(STACK, 'web', 1, { state: 'exited', exitCode: 1 }));
    expect(planText(STACK, state, { healing: { holdStarts: { web: 'crash-looping: next restart in 20s' } } })).toBe(
      lines(`
        no changes
        - container:demo-web-1: exited (1): not started now: crash-looping: next restart in 20s
      `),
    );
  });

  it('a held service must not be created either when its container was removed', () => {
    const state = { ...convergedState(STACK), containers: convergedState(STACK).containers.filter((container) => container.service !== 'web') };
    expect(planText(STACK, state, { healing: { holdStarts: { web: 'crash-looping: next restart in 40s' } } })).toContain(
      '- container:demo-web-1: not created now: crash-looping: next restart in 40s',
    );
  });

  it('without a hold the same exited container must be started', () => {
    const state = withContainer(convergedState(STACK), convergedContainer(STACK, 'web', 1, { state: 'exited', exitCode: 1 }));
    expect(planText(STACK, state)).toContain('start-container container:demo-web-1 (exited (1))');
  });

  it('an unhealthy container to restart must be stopped and started, and its restart: true dependents after it', () => {
    const state = withContainer(convergedState(STACK), convergedContainer(STACK, 'db', 1, { health: 'unhealthy' }));
    const text = planText(STACK, state, { healing: { restartContainers: { 'demo-db-1': 'unhealthy for 45s' } } });
    expect(text).toBe(
      lines(`
        [0] stop-container container:demo-db-1 timeout=10s (unhealthy for 45s)
        [1] start-container container:demo-db-1 (unhealthy for 45s) after [0]
        [2] wait container:demo-db-1 condition=healthy (needed by api: service_healthy) after [1]
        [3] stop-container container:demo-api-1 timeout=10s (dependency db was restarted) after [2]
        [4] start-container container:demo-api-1 (dependency db was restarted) after [3]
      `),
    );
  });

  it('a restart directive for a container that is not running must change nothing', () => {
    const state = withContainer(convergedState(STACK), convergedContainer(STACK, 'db', 1, { state: 'restarting' }));
    expect(planText(STACK, state, { healing: { restartContainers: { 'demo-db-1': 'unhealthy for 45s' } } })).toMatch(/^no changes/);
  });
});

describe('plan: held recreates', () => {
  it('a service whose recreate is held must be converged in place with a note saying why', () => {
    const state = withContainer(convergedState(STACK), convergedContainer(STACK, 'db', 1, { specHash: 'an-older-spec' }));
    const held = planText(STACK, state, { holdRecreates: { db: 'the backup before the recreate failed: pg_dump exited 1' } });
    expect(held).toBe(
      lines(`
        no changes
        - container:demo-db-1: not recreated (spec changed): the backup before the recreate failed: pg_dump exited 1
      `),
    );
    expect(planText(STACK, state)).toContain('create-container container:demo-db-1');
  });
});
