import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RetentionPolicy } from '../../src/backup/definitions/definition.js';
import { EmptyRetentionPolicyError, dayKey, planRetention, weekKey, type RetentionCandidate } from '../../src/backup/retention/retention-policy.js';

// Retention is a pure function over a history and the time: table tests for the policy, and properties
// over random histories (gaps, failures, clocks ahead) for the guards.

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-15T12:00:00Z');
const policy = (fields: Partial<RetentionPolicy>): RetentionPolicy => ({ keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, ...fields });
const success = (id: string, startedAt: string, verified: boolean | null = true): RetentionCandidate => ({ id, startedAtMs: Date.parse(startedAt), status: 'succeeded', verified });
const failure = (id: string, startedAt: string): RetentionCandidate => ({ id, startedAtMs: Date.parse(startedAt), status: 'failed', verified: null });

describe('planRetention', () => {
  it('keep_last must keep the newest N and delete the rest', () => {
    const history = [success('a', '2025-06-11T03:00:00Z'), success('b', '2025-06-12T03:00:00Z'), success('c', '2025-06-13T03:00:00Z'), success('d', '2025-06-14T03:00:00Z')];
    expect(planRetention(history, policy({ keepLast: 2 }), { nowMs: NOW }).delete.sort()).toEqual(['a', 'b']);
  });

  it('daily, weekly and monthly must keep the newest backup of each of their last periods', () => {
    const history = [
      success('may-01', '2025-05-01T03:00:00Z'),
      success('may-31', '2025-05-31T03:00:00Z'),
      success('jun-02-early', '2025-06-02T01:00:00Z'),
      success('jun-02-late', '2025-06-02T23:00:00Z'),
      success('jun-09', '2025-06-09T03:00:00Z'),
      success('jun-14', '2025-06-14T03:00:00Z'),
      success('jun-15', '2025-06-15T03:00:00Z'),
    ];
    const decision = planRetention(history, policy({ keepDaily: 2, keepWeekly: 2, keepMonthly: 2 }), { nowMs: NOW });
    // Daily: the 15th and the 14th. Weekly: W24 (9-15 June) -> jun-15, W23 -> jun-02-late. Monthly: June ->
    // jun-15, May -> may-31.
    expect(decision.keep.map((entry) => entry.id).sort()).toEqual(['jun-02-late', 'jun-14', 'jun-15', 'may-31'].sort());
    expect(decision.delete.sort()).toEqual(['jun-02-early', 'jun-09', 'may-01'].sort());
  });

  it('days must be counted in the time zone given', () => {
    // 23:30 UTC on the 13th is already the 14th in Berlin: one Berlin day holds both.
    const history = [success('late', '2025-06-13T23:30:00Z'), success('next', '2025-06-14T10:00:00Z')];
    expect(planRetention(history, policy({ keepDaily: 1 }), { nowMs: NOW, timeZone: 'UTC' }).delete).toEqual(['late']);
    expect(planRetention(history, policy({ keepDaily: 2 }), { nowMs: NOW, timeZone: 'UTC' }).delete).toEqual([]);
    expect(planRetention(history, policy({ keepDaily: 2 }), { nowMs: NOW, timeZone: 'Europe/Berlin' }).delete).toEqual(['late']);
  });

  it('must delete nothing when the newest run failed', () => {
    const history = [success('a', '2025-06-10T03:00:00Z'), success('b', '2025-06-11T03:00:00Z'), failure('f', '2025-06-12T03:00:00Z')];
    const decision = planRetention(history, policy({ keepLast: 1 }), { nowMs: NOW });
    expect(decision.delete).toEqual([]);
    expect(decision.note).toBe('the newest run failed: nothing is deleted');
  });

  it('must never delete the newest verified backup, even when newer unverified ones fill keep_last', () => {
    const history = [success('verified', '2025-06-10T03:00:00Z', true), success('unverified-1', '2025-06-11T03:00:00Z', false), success('unverified-2', '2025-06-12T03:00:00Z', null)];
    const decision = planRetention(history, policy({ keepLast: 1 }), { nowMs: NOW });
    expect(decision.delete).toEqual(['unverified-1']);
    expect(decision.keep.find((entry) => entry.id === 'verified')?.reasons).toEqual(['newest verified']);
  });

  it('a backup dated after now (a clock that was ahead) must be kept and not push good ones out', () => {
    const history = [success('old', '2025-06-13T03:00:00Z'), success('good', '2025-06-14T03:00:00Z'), success('skewed', '2025-06-20T03:00:00Z')];
    const decision = planRetention(history, policy({ keepLast: 1 }), { nowMs: NOW });
    expect(decision.delete).toEqual(['old']);
    expect(decision.keep.map((entry) => entry.id).sort()).toEqual(['good', 'skewed']);
  });

  it('must refuse an empty policy', () => {
    expect(() => planRetention([success('a', '2025-06-10T03:00:00Z')], policy({}), { nowMs: NOW })).toThrow(EmptyRetentionPolicyError);
  });

  it.each([
    ['2025-01-01T12:00:00Z', '2025-W01'],
    ['2024-12-30T12:00:00Z', '2025-W01'],
    ['2021-01-03T12:00:00Z', '2020-W53'],
    ['2025-06-15T12:00:00Z', '2025-W24'],
  ])('the ISO week of %s must be %s', (date, week) => {
    expect(weekKey(Date.parse(date), 'UTC')).toBe(week);
  });

  it('day keys must follow the wall date of the time zone', () => {
    expect(dayKey(Date.parse('2025-06-14T23:30:00Z'), 'Asia/Kolkata')).toBe('2025-06-15');
  });
});

describe('planRetention properties over random histories', () => {
  const run = fc.record({
    offsetMs: fc.integer({ min: -400 * DAY, max: 2 * DAY }),
    failed: fc.boolean(),
    verified: fc.constantFrom<boolean | null>(true, false, null),
  });
  const history = fc.array(run, { maxLength: 60 }).map((runs) =>
    runs.map((entry, index): RetentionCandidate => ({ id: `run-${String(index).padStart(3, '0')}`, startedAtMs: NOW + entry.offsetMs, status: entry.failed ? 'failed' : 'succeeded', verified: entry.failed ? null : entry.verified })),
  );
  const policies = fc
    .record({ keepLast: fc.integer({ min: 0, max: 5 }), keepDaily: fc.integer({ min: 0, max: 10 }), keepWeekly: fc.integer({ min: 0, max: 6 }), keepMonthly: fc.integer({ min: 0, max: 6 }) })
    .filter((candidate) => candidate.keepLast + candidate.keepDaily + candidate.keepWeekly + candidate.keepMonthly > 0);
  const timeZones = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata');
  const newestFirst = (candidates: RetentionCandidate[]) => [...candidates].sort((left, right) => right.startedAtMs - left.startedAtMs || right.id.localeCompare(left.id));

  it('must never delete the newest verified backup', () => {
    fc.assert(
      fc.property(history, policies, timeZones, (candidates, retention, timeZone) => {
        const newestVerified = newestFirst(candidates).find((candidate) => candidate.status === 'succeeded' && candidate.verified === true);
        const decision = planRetention(candidates, retention, { nowMs: NOW, timeZone });
        if (newestVerified) expect(decision.delete).not.toContain(newestVerified.id);
      }),
    );
  });

  it('must delete nothing when the newest run failed', () => {
    fc.assert(
      fc.property(history, policies, (candidates, retention) => {
        const newest = newestFirst(candidates)[0];
        if (newest?.status === 'failed') expect(planRetention(candidates, retention, { nowMs: NOW }).delete).toEqual([]);
      }),
    );
  });

  it('must split the succeeded runs into kept and deleted, and never delete a failed run or a future one', () => {
    fc.assert(
      fc.property(history, policies, timeZones, (candidates, retention, timeZone) => {
        const decision = planRetention(candidates, retention, { nowMs: NOW, timeZone });
        const kept = decision.keep.map((entry) => entry.id);
        const succeeded = candidates.filter((candidate) => candidate.status === 'succeeded').map((candidate) => candidate.id);
        expect([...kept, ...decision.delete].sort()).toEqual(succeeded.sort());
        expect(new Set([...kept, ...decision.delete]).size).toBe(kept.length + decision.delete.length);
        for (const id of decision.delete) {
          const candidate = candidates.find((entry) => entry.id === id)!;
          expect(candidate.status).toBe('succeeded');
          expect(candidate.startedAtMs).toBeLessThanOrEqual(NOW);
        }
      }),
    );
  });

  it('must keep the newest keep_last past backups and bound what it keeps', () => {
    fc.assert(
      fc.property(history, policies, timeZones, (candidates, retention, timeZone) => {
        const decision = planRetention(candidates, retention, { nowMs: NOW, timeZone });
        if (decision.note) return;
        const past = newestFirst(candidates).filter((candidate) => candidate.status === 'succeeded' && candidate.startedAtMs <= NOW);
        for (const candidate of past.slice(0, retention.keepLast)) expect(decision.delete).not.toContain(candidate.id);
        const future = candidates.filter((candidate) => candidate.status === 'succeeded' && candidate.startedAtMs > NOW).length;
        expect(decision.keep.length).toBeLessThanOrEqual(retention.keepLast + retention.keepDaily + retention.keepWeekly + retention.keepMonthly + 1 + future);
      }),
    );
  });

  it('applied twice, the second pass must delete nothing', () => {
    fc.assert(
      fc.property(history, policies, timeZones, (candidates, retention, timeZone) => {
        const first = planRetention(candidates, retention, { nowMs: NOW, timeZone });
        const remaining = candidates.filter((candidate) => !first.delete.includes(candidate.id));
        expect(planRetention(remaining, retention, { nowMs: NOW, timeZone }).delete).toEqual([]);
      }),
    );
  });
});
