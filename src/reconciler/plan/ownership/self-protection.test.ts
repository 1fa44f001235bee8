import { describe, expect, it } from 'vitest';
import { convergedContainer, convergedState, fakeId, lines, orphanContainer, projectFromYaml, withContainer } from '../../observe/observed-builders.test-support.js';
import { plan } from '../planner.js';
import { planDown } from './plan-down.js';
import { renderPlan } from '../render-plan.js';
import { findSelf, SELF_HOLD_REASON, withoutSelf } from './self-protection.js';

// The controller runs as a container of a stack it manages: it must never recreate, stop or remove
// itself, and must say so.

const STACK = projectFromYaml(`
name: demo
services:
  composelet:
    image: composelet:0.1.0
  db:
    image: composelet/busybox:1
    healthcheck: { test: ["CMD", "true"] }
  api:
    image: composelet/busybox:1
    depends_on: { db: { condition: service_healthy, restart: true } }
`);
const SELF_ID = fakeId('demo-composelet-1');

describe('the controller in its own stack', () => {
  it('must find its own container by id, with its service', () => {
    expect(findSelf(convergedState(STACK).containers, SELF_ID)).toEqual({ id: SELF_ID, name: 'demo-composelet-1', service: 'composelet' });
    expect(findSelf(convergedState(STACK).containers, fakeId('elsewhere'))).toBeNull();
    expect(findSelf(convergedState(STACK).containers, null)).toBeNull();
  });

  it('a changed spec of its own service must be converged in place, not recreated (held when planning)', () => {
    const changed = withContainer(convergedState(STACK), convergedContainer(STACK, 'composelet', 1, { specHash: 'old' }));
    const text = renderPlan(plan(STACK, changed, { prune: false, buildHashes: {}, holdRecreates: { composelet: SELF_HOLD_REASON } }));
    expect(text).not.toMatch(/stop-container|remove-container|create-container/);
    expect(text).toContain(`- container:demo-composelet-1: not recreated (spec changed`);
  });

  it('an unhealthy restart of its own container must be left out, with what depends on it, and the rest kept', () => {
    const state = withContainer(
      withContainer(convergedState(STACK), convergedContainer(STACK, 'composelet', 1, { health: 'unhealthy' })),
      convergedContainer(STACK, 'db', 1, { health: 'unhealthy' }),
    );
    const planned = plan(STACK, state, { prune: false, buildHashes: {}, healing: { restartContainers: { 'demo-composelet-1': 'unhealthy for 45s', 'demo-db-1': 'unhealthy for 45s' } } });
    const self = findSelf(state.containers, SELF_ID);
    if (self === null) throw new Error('self not found');
    const { plan: safe, skipped } = withoutSelf(planned, self);
    expect(skipped.map((operation) => `${operation.kind} ${operation.resourceId}`)).toEqual(['stop-container container:demo-composelet-1', 'start-container container:demo-composelet-1']);
    expect(renderPlan(safe)).toBe(
      lines(`
        [0] stop-container container:demo-db-1 timeout=10s (unhealthy for 45s)
        [1] start-container container:demo-db-1 (unhealthy for 45s) after [0]
        [2] wait container:demo-db-1 condition=healthy (needed by api: service_healthy) after [1]
        [3] stop-container container:demo-api-1 timeout=10s (dependency db was restarted) after [2]
        [4] start-container container:demo-api-1 (dependency db was restarted) after [3]
        - container:demo-composelet-1: not stopped or removed: ${SELF_HOLD_REASON}
      `),
    );
  });

  it('an orphan pruned or a project taken down must never remove its container', () => {
    const orphan = orphanContainer('demo', 'controller');
    const withOrphan = withContainer(convergedState(STACK), orphan);
    const self = { id: orphan.id, name: orphan.name, service: 'controller' };
    const pruned = withoutSelf(plan(STACK, withOrphan, { prune: true, buildHashes: {} }), self);
    expect(renderPlan(pruned.plan)).not.toContain('container:demo-controller-1 ');
    expect(pruned.skipped.length).toBeGreaterThan(0);
    const down = withoutSelf(planDown(null, withOrphan, { removeVolumes: false }), self);
    expect(down.plan.operations.some((operation) => operation.resourceId === 'container:demo-controller-1')).toBe(false);
    expect(down.plan.operations.some((operation) => operation.resourceId === 'container:demo-db-1')).toBe(true);
  });

  it('a plan that does not touch its container must be returned as it is', () => {
    const planned = plan(STACK, convergedState(STACK), { prune: false, buildHashes: {} });
    expect(withoutSelf(planned, { id: SELF_ID, name: 'demo-composelet-1', service: 'composelet' })).toEqual({ plan: planned, skipped: [] });
  });
});
