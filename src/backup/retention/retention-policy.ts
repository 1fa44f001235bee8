import type { RetentionPolicy } from '../definitions/definition.js';
import { zonedParts } from '../schedule/time-zone.js';

// Which backups retention deletes: a pure function over a definition's runs and the time. Keep the last
// N, and the newest backup of each of the last N days, weeks (ISO) and months that have one
// (grandfather-father-son, days in the schedule's time zone). Three guards come first: it refuses an
// empty policy, deletes nothing when the newest run failed (the old copies are all there is), and never
// deletes the newest verified backup. Runs dated after `now` (a clock that was ahead) are kept and left
// out of the counting, so a skewed clock cannot push good backups out.

export interface RetentionCandidate {
  id: string;
  startedAtMs: number;
  status: 'succeeded' | 'failed';
  /** Verification passed (null: never verified). */
  verified: boolean | null;
}

export interface RetentionDecision {
  /** Succeeded runs kept, with why. */
  keep: Array<{ id: string; reasons: string[] }>;
  /** Succeeded runs to delete. Failed runs are never in it. */
  delete: string[];
  /** Why nothing was deleted, when a guard decided. */
  note: string | null;
}

export class EmptyRetentionPolicyError extends Error {
  constructor() {
    super('refusing an empty retention policy: it would delete every backup but one; set keep_last, keep_daily, keep_weekly or keep_monthly');
    this.name = 'EmptyRetentionPolicyError';
  }
}

export function isEmptyPolicy(policy: RetentionPolicy): boolean {
  return policy.keepLast <= 0 && policy.keepDaily <= 0 && policy.keepWeekly <= 0 && policy.keepMonthly <= 0;
}

export function planRetention(candidates: readonly RetentionCandidate[], policy: RetentionPolicy, options: { nowMs: number; timeZone?: string }): RetentionDecision {
  if (isEmptyPolicy(policy)) throw new EmptyRetentionPolicyError();
  const timeZone = options.timeZone ?? 'UTC';
  const newestFirst = [...candidates].sort((left, right) => right.startedAtMs - left.startedAtMs || right.id.localeCompare(left.id));
  const succeeded = newestFirst.filter((candidate) => candidate.status === 'succeeded');
  const keepAll = (note: string): RetentionDecision => ({ keep: succeeded.map((candidate) => ({ id: candidate.id, reasons: ['guard'] })), delete: [], note });
  if (newestFirst[0]?.status === 'failed') return keepAll('the newest run failed: nothing is deleted');

  const reasons = new Map<string, string[]>();
  const keep = (id: string, reason: string) => reasons.set(id, [...(reasons.get(id) ?? []), reason]);
  const future = succeeded.filter((candidate) => candidate.startedAtMs > options.nowMs);
  const past = succeeded.filter((candidate) => candidate.startedAtMs <= options.nowMs);
  for (const candidate of future) keep(candidate.id, 'dated in the future');
  past.slice(0, Math.max(0, policy.keepLast)).forEach((candidate, index) => keep(candidate.id, `last ${index + 1}`));
  keepPerPeriod(past, policy.keepDaily, (ms) => dayKey(ms, timeZone), 'daily', keep);
  keepPerPeriod(past, policy.keepWeekly, (ms) => weekKey(ms, timeZone), 'weekly', keep);
  keepPerPeriod(past, policy.keepMonthly, (ms) => dayKey(ms, timeZone).slice(0, 7), 'monthly', keep);
  const newestVerified = succeeded.find((candidate) => candidate.verified === true);
  if (newestVerified) keep(newestVerified.id, 'newest verified');

  return {
    keep: succeeded.filter((candidate) => reasons.has(candidate.id)).map((candidate) => ({ id: candidate.id, reasons: reasons.get(candidate.id)! })),
    delete: succeeded.filter((candidate) => !reasons.has(candidate.id)).map((candidate) => candidate.id),
    note: null,
  };
}

function keepPerPeriod(newestFirst: readonly RetentionCandidate[], count: number, periodOf: (ms: number) => string, label: string, keep: (id: string, reason: string) => void): void {
  const seen = new Set<string>();
  for (const candidate of newestFirst) {
    if (seen.size >= count) return;
    const period = periodOf(candidate.startedAtMs);
    if (seen.has(period)) continue;
    seen.add(period);
    keep(candidate.id, `${label} ${period}`);
  }
}

/** YYYY-MM-DD of the wall date in the time zone. */
export function dayKey(ms: number, timeZone: string): string {
  const wall = zonedParts(ms, timeZone);
  return `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

/** ISO week of the wall date: YYYY-Www. */
export function weekKey(ms: number, timeZone: string): string {
  const wall = zonedParts(ms, timeZone);
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of the week decides its year
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
