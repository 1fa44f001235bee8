import type { AuditEntry } from '../audit/audit-entry.js';
import type { ActivityCount, CommitDay, ControllerActivity, DailyReport, RollbackDay } from './model.js';

// What the audit log says about a period, as plain tables: what the controller did (counts), which
// containers it healed or restarted, suspensions, and commits. Pure: entries in, summaries out.

/** Causes the planner gives a start or create of a container that should run and does not. */
const HEAL_CAUSE = /^(exited \(|dead$|not found$|created, not started$)/;
/** The cause of a recreate healing asked for (a container the engine refuses to start): its start is the heal. */
const HEAL_RECREATE_CAUSE = /^recreate: /;
/** The cause the controller gives an in-place restart of an unhealthy container. */
const RESTART_CAUSE = /^unhealthy for /;

export interface HealEvent {
  project: string;
  service: string;
  /** `container:NAME` */
  resource: string;
  /** When the heal's outcome was recorded: the container was running again. */
  time: number;
  durationMs: number;
  kind: 'heal' | 'restart';
}

export function inPeriod(entries: readonly AuditEntry[], period: { since: Date; until: Date }): AuditEntry[] {
  return entries.filter((entry) => {
    const time = Date.parse(entry.time);
    return time >= period.since.getTime() && time <= period.until.getTime();
  });
}

/**
 * Heals and in-place restarts the controller made and that succeeded, oldest first. Give the whole log
 * (then keep the period's): a create for "not found" is a heal only when the container was made before
 * (an earlier entry names it); otherwise it is the service's first deployment.
 */
export function healEvents(entries: readonly AuditEntry[]): HealEvent[] {
  const seen = new Set<string>();
  const events: HealEvent[] = [];
  for (const entry of [...entries].sort((left, right) => Date.parse(left.time) - Date.parse(right.time))) {
    const known = seen.has(`${entry.project} ${entry.resource}`);
    if (entry.result !== 'intended') seen.add(`${entry.project} ${entry.resource}`);
    if (entry.actor !== 'controller' || entry.result !== 'succeeded' || entry.service === null) continue;
    const isStart = entry.action === 'start-container' || entry.action === 'create-container';
    const healed =
      (isStart && HEAL_CAUSE.test(entry.cause) && (entry.cause !== 'not found' || known)) ||
      (entry.action === 'start-container' && HEAL_RECREATE_CAUSE.test(entry.cause));
    const kind = entry.action === 'start-container' && RESTART_CAUSE.test(entry.cause) ? 'restart' : healed ? 'heal' : null;
    if (kind === null) continue;
    events.push({ project: entry.project, service: entry.service, resource: entry.resource, time: Date.parse(entry.time), durationMs: entry.durationMs, kind });
  }
  return events;
}

/** A crash loop: 3 or more heals of a service, each within 10 minutes of the one before. */
export const CRASH_LOOP_MIN_HEALS = 3;
export const CRASH_LOOP_GAP_MS = 10 * 60 * 1000;

/** How many crash-loop runs the heal times (of one service, any order) hold. */
export function countCrashLoops(healTimes: readonly number[]): number {
  const times = [...healTimes].sort((left, right) => left - right);
  let loops = 0;
  let run = 0;
  for (let index = 0; index < times.length; index += 1) {
    run = index > 0 && times[index]! - times[index - 1]! <= CRASH_LOOP_GAP_MS ? run + 1 : 1;
    if (run === CRASH_LOOP_MIN_HEALS) loops += 1;
  }
  return loops;
}

function counts(values: readonly string[]): ActivityCount[] {
  const tally = new Map<string, number>();
  for (const value of values) tally.set(value, (tally.get(value) ?? 0) + 1);
  return [...tally].map(([key, count]) => ({ key, count })).sort((left, right) => right.count - left.count || left.key.localeCompare(right.key));
}

/** Every entry counted by action, actor and result (the `intended` lines written before a plan runs are not actions). */
export function summarizeActivity(entries: readonly AuditEntry[]): ControllerActivity {
  const done = entries.filter((entry) => entry.result !== 'intended');
  return {
    entries: done.length,
    failed: done.filter((entry) => entry.result === 'failed').length,
    byAction: counts(done.map((entry) => entry.action)),
    byActor: counts(done.map((entry) => entry.actor)),
    byResult: counts(done.map((entry) => entry.result)),
  };
}

export function suspensionEvents(entries: readonly AuditEntry[]): DailyReport['suspensionEvents'] {
  return entries
    .filter((entry) => entry.action === 'suspend' || entry.action === 'resume')
    .map((entry) => ({ time: entry.time, project: entry.project, service: entry.service, action: entry.action, user: entry.user, cause: entry.cause }));
}

/** Commits quarantined (`quarantine-commit`) and commits whose changes succeeded (deployed), first time seen. */
export function commitsOf(entries: readonly AuditEntry[]): CommitDay[] {
  const seen = new Map<string, CommitDay>();
  for (const entry of entries) {
    if (entry.manifestCommit === null || entry.result === 'intended') continue;
    const outcome = entry.action === 'quarantine-commit' ? 'quarantined' : entry.result === 'succeeded' ? 'deployed' : null;
    if (outcome === null) continue;
    const key = `${entry.project} ${entry.manifestCommit} ${outcome}`;
    if (!seen.has(key)) seen.set(key, { commit: entry.manifestCommit, project: entry.project, outcome, firstSeenAt: entry.time });
  }
  return [...seen.values()].sort((left, right) => left.firstSeenAt.localeCompare(right.firstSeenAt));
}

/** Rollbacks: rollouts the controller (or apply) rolled back, or whose rollback failed too (`rollout`
 * entries, audit-entry.ts), and `composelet rollback` runs (actor rollback, its rollout succeeded). */
export function rollbacksOf(entries: readonly AuditEntry[]): RollbackDay[] {
  const rollbacks: RollbackDay[] = [];
  for (const entry of entries) {
    if (entry.action !== 'rollout' || entry.service === null) continue;
    const outcome =
      entry.result === 'rolled-back' || entry.result === 'rollback-failed' ? entry.result : entry.actor === 'rollback' && entry.result === 'succeeded' ? 'rolled-back-by-operator' : null;
    if (outcome === null) continue;
    rollbacks.push({
      time: entry.time,
      project: entry.project,
      service: entry.service,
      outcome,
      by: outcome === 'rolled-back-by-operator' ? entry.user : entry.actor,
      reason: entry.error ?? entry.cause,
      commit: entry.manifestCommit,
    });
  }
  return rollbacks.sort((left, right) => left.time.localeCompare(right.time));
}
