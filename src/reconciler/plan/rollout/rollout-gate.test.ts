import { describe, expect, it } from 'vitest';
import type { OperationStatus } from '../../execute/execute.js';
import { allowedFailures, gateVerdict, type FailureAction } from './rollout-gate.js';

describe('allowedFailures: a rollout fails only when the failed fraction exceeds max_failure_ratio', () => {
  it.each<[string, FailureAction, number, number, number]>([
    ['rollback with ratio 0 must tolerate no failure', 'rollback', 0, 4, 0],
    ['ratio 0.25 of 4 must tolerate one (1/4 does not exceed 0.25)', 'rollback', 0.25, 4, 1],
    ['ratio 0.5 of 4 must tolerate two, not three', 'pause', 0.5, 4, 2],
    ['ratio 0.3 of 10 must tolerate three despite floating point', 'rollback', 0.3, 10, 3],
    ['ratio 0.2 of 3 must tolerate none (1/3 exceeds 0.2)', 'rollback', 0.2, 3, 0],
    ['ratio 1 must tolerate every replica', 'rollback', 1, 3, 3],
    ['a ratio above 1 must count as 1', 'pause', 7, 3, 3],
    ['continue must tolerate every replica whatever the ratio', 'continue', 0, 5, 5],
  ])('%s', (_name, failureAction, maxFailureRatio, replicas, expected) => {
    expect(allowedFailures({ failureAction, maxFailureRatio }, replicas)).toBe(expected);
  });
});

describe('gateVerdict: a gate settles once its proofs settled, and fails beyond what it tolerates', () => {
  const gate = { watched: [3, 7, 11], maxFailures: 1, replicas: 4, maxFailureRatio: 0.25 };
  it.each<[string, Array<OperationStatus | undefined>, number, unknown]>([
    ['a proof still running must block the gate', ['succeeded', undefined, 'succeeded'], 1, 'blocked'],
    ['all proofs held: the gate must pass', ['succeeded', 'succeeded', 'succeeded'], 1, 'ready'],
    ['one failure within the ratio: the gate must pass', ['succeeded', 'failed', 'succeeded'], 1, 'ready'],
    [
      'two failures beyond the ratio: the gate must fail with the count',
      ['failed', 'skipped', 'succeeded'],
      1,
      { status: 'failed', error: 'rollout stopped: 2 of 4 replicas failed (max_failure_ratio 0.25 tolerates 1)' },
    ],
    [
      'no failure tolerated: one must fail the gate',
      ['succeeded', 'succeeded', 'abandoned'],
      0,
      { status: 'failed', error: 'rollout stopped: 1 of 4 replicas failed (none tolerated)' },
    ],
  ])('%s', (_name, statuses, maxFailures, expected) => {
    const results = new Map(
      gate.watched.flatMap((id, index) => (statuses[index] === undefined ? [] : [[id, { status: statuses[index]! }] as const])),
    );
    expect(gateVerdict({ ...gate, maxFailures }, results)).toEqual(expected);
  });
});
