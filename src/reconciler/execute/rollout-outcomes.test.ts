import { describe, expect, it } from 'vitest';
import type { Plan, Rollout } from '../plan/plan.js';
import type { ExecutionReport, OperationResult } from './execute.js';
import { failureChanges, rolloutOutcomes } from './rollout-outcomes.js';

// A rollout is remembered as failed (its spec not tried again until it changes) only for what went wrong
// in it; one skipped because something else failed is tried again. Found by the chaos run: a dependency's
// failed heal skipped a dependent's rollout, and the dependent stayed on the old spec for good.

const ROLLOUT: Rollout = { service: 'web', number: 1, name: 'demo-web-1', oldContainerId: 'old', oldSpecHash: 'h0', newSpecHash: 'h1', covered: [2, 3], fallbacks: [4] };

/** db's start [0], web's pull [1], web's create [2] and start [3], web's fallback [4]. */
const PLAN = {
  projectName: 'demo',
  operations: [
    { id: 0, service: 'db', kind: 'start-container' },
    { id: 1, service: 'web', kind: 'pull-image' },
    { id: 2, service: 'web', kind: 'create-container' },
    { id: 3, service: 'web', kind: 'start-container' },
    { id: 4, service: 'web', kind: 'start-container', onFailureOf: [2, 3] },
  ],
  rollouts: [ROLLOUT],
} as unknown as Plan;

function report(statuses: Array<[OperationResult['status'], string?]>): ExecutionReport {
  return { results: statuses.map(([status, error], id) => ({ id, status, durationMs: 1, ...(error ? { error } : {}) })) } as unknown as ExecutionReport;
}

const AT = new Date('2026-12-01T00:00:00Z');

describe('rollout outcomes and the failure memory', () => {
  it.each([
    ['skipped because a dependency failed', [['failed', 'db: task exists'], ['succeeded'], ['skipped'], ['skipped'], ['unneeded']], 'not-started', false],
    ['abandoned by a stopping controller', [['succeeded'], ['succeeded'], ['abandoned'], ['abandoned'], ['unneeded']], 'not-started', false],
    ['not started because its own image pull failed', [['succeeded'], ['failed', 'pull access denied'], ['skipped'], ['skipped'], ['unneeded']], 'not-started', true],
    ['rolled back', [['succeeded'], ['succeeded'], ['succeeded'], ['failed', 'exited 1'], ['succeeded']], 'rolled-back', true],
    ['succeeded', [['succeeded'], ['succeeded'], ['succeeded'], ['succeeded'], ['unneeded']], 'succeeded', false],
  ] as const)('a rollout %s must be %s, remembered as failed: %s', (_what, statuses, result, remembered) => {
    const outcomes = rolloutOutcomes(PLAN, report(statuses as unknown as Array<[OperationResult['status'], string?]>));
    expect(outcomes.map((outcome) => outcome.result)).toEqual([result]);
    expect(Object.keys(failureChanges(outcomes, AT).failed)).toEqual(remembered ? ['web'] : []);
  });
});
