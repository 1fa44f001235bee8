import { describe, expect, it } from 'vitest';
import { emptyState, projectFromYaml } from '../reconciler/observe/observed-builders.test-support.js';
import type { ExecutionReport, OperationStatus } from '../reconciler/execute/execute.js';
import { plan } from '../reconciler/plan/planner.js';
import { MAX_STEPS, summarizePlan } from './plan-summary.js';

function planned(services: number) {
  const lines = ['name: demo', services === 0 ? 'services: {}' : 'services:'];
  for (let index = 0; index < services; index += 1) lines.push(`  s${index}:`, '    image: composelet/busybox:1', '    environment: { PASSWORD: hunter2-secret }');
  return plan(projectFromYaml(lines.join('\n')), emptyState('demo'), { prune: false, buildHashes: {} });
}

function reportOf(ids: number[], status: (id: number) => OperationStatus): ExecutionReport {
  return { results: ids.map((id) => ({ id, status: status(id), durationMs: 1, ...(status(id) === 'failed' ? { error: 'engine said hunter2-secret' } : {}) })), totals: { succeeded: 0, failed: 0, skipped: 0, abandoned: 0, unneeded: 0 }, durationMs: 1 };
}

describe('summarizePlan', () => {
  it('must list each operation with its cause and result, in plan order', () => {
    const thePlan = planned(1);
    const ids = thePlan.operations.map((operation) => operation.id);
    const summary = summarizePlan(thePlan, reportOf(ids, (id) => (id === ids.at(-1) ? 'failed' : 'succeeded')), 1000)!;
    expect(summary.at).toBe(1000);
    expect(summary.more).toBe(0);
    expect(summary.steps.map((step) => step.kind)).toEqual(thePlan.operations.map((operation) => operation.kind));
    expect(summary.steps.at(-1)!.result).toBe('failed');
    expect(summary.steps[0]).toMatchObject({ resource: thePlan.operations[0]!.resourceId, cause: thePlan.operations[0]!.cause, result: 'succeeded' });
  });

  it('must never carry a secret value nor an engine error message', () => {
    const thePlan = planned(1);
    const ids = thePlan.operations.map((operation) => operation.id);
    expect(JSON.stringify(summarizePlan(thePlan, reportOf(ids, () => 'failed'), 0))).not.toContain('hunter2');
  });

  it.each([
    ['a plan not run (read-only)', null, 'not run'],
    ['an operation the report does not name', reportOf([], () => 'succeeded'), 'not run'],
  ])('%s must say "not run"', (_label, report, result) => {
    expect(summarizePlan(planned(1), report, 0)!.steps.every((step) => step.result === result)).toBe(true);
  });

  it('must keep at most MAX_STEPS and count the rest', () => {
    const thePlan = planned(MAX_STEPS);
    const summary = summarizePlan(thePlan, null, 0)!;
    expect(summary.steps).toHaveLength(MAX_STEPS);
    expect(summary.more).toBe(thePlan.operations.length - MAX_STEPS);
    expect(summary.more).toBeGreaterThan(0);
  });

  it('must be null for a plan without operations (the previous one stays shown)', () => {
    expect(summarizePlan(planned(0), null, 0)).toBeNull();
  });
});
