import { createHash } from 'node:crypto';
import type { Project } from '../../desired-state/model.js';
import type { BackupIndex } from '../artifacts/backup-index.js';
import type { BackupDefinition } from '../definitions/definition.js';
import { resolveBackupDefinitions, type ResolveOptions } from '../definitions/resolve.js';
import { nextCronRun } from './next-run.js';

// When each scheduled backup runs: after its last good run, at the schedule's next time. A run missed
// while the controller was down (the next time after the last good run is already past) is made once, at
// start; never-run definitions too. Every definition gets a fixed small delay (its jitter, from a hash of
// its name) added to its time, so a controller starting after a night off does not start every dump at
// once. After a failed run, the next try waits retryDelayMs.

export interface ScheduleOptions extends ResolveOptions {
  /** When the controller started: catch-up runs are spread from there. */
  startedAt?: Date;
  /** Largest per-definition delay (default 30 s). */
  maxJitterMs?: number;
  /** Wait after a failed run before trying again (default 10 min). */
  retryDelayMs?: number;
}

export interface ScheduledBackup {
  definition: BackupDefinition;
  due: boolean;
  reason: 'never-run' | 'missed' | 'scheduled' | 'retry' | 'waiting';
  /** The schedule's time this run is for. */
  scheduledAt: Date;
  /** When it runs: scheduledAt (or the start, for a catch-up) plus jitter, later after a failure. */
  runAt: Date;
}

/** The next scheduled time strictly after `now`; for an interval, `every` after the last run (now when
 * there was none). null without a schedule or when a cron expression never matches again. */
export function nextRunAt(definition: BackupDefinition, now: Date, options: { lastRunAt?: Date | null } = {}): Date | null {
  const schedule = definition.schedule;
  if (!schedule) return null;
  if (schedule.kind === 'cron') return nextCronRun(schedule.expression, schedule.timeZone, now);
  return options.lastRunAt ? new Date(options.lastRunAt.getTime() + schedule.everyMs) : now;
}

export function jitterMs(definition: Pick<BackupDefinition, 'projectName' | 'name'>, maxJitterMs: number): number {
  if (maxJitterMs <= 0) return 0;
  const digest = createHash('sha256').update(`${definition.projectName}/${definition.name}`).digest();
  return digest.readUInt32BE(0) % maxJitterMs;
}

export function backupSchedule(project: Project, index: BackupIndex, now: Date, options: ScheduleOptions = {}): ScheduledBackup[] {
  const maxJitter = options.maxJitterMs ?? 30_000;
  const retryDelay = options.retryDelayMs ?? 600_000;
  const startedAtMs = options.startedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const scheduled: ScheduledBackup[] = [];
  for (const definition of resolveBackupDefinitions(project, options).definitions) {
    if (!definition.schedule) continue;
    const history = index.histories[definition.name];
    const lastGood = history?.artifacts[0] ? new Date(history.artifacts[0].manifest.startedAt) : null;
    const lastFailure = history?.failures[0];
    const jitter = jitterMs(definition, maxJitter);
    let scheduledAtMs: number;
    let reason: ScheduledBackup['reason'];
    if (lastGood === null) {
      scheduledAtMs = Number.isFinite(startedAtMs) ? startedAtMs : now.getTime() - jitter;
      reason = 'never-run';
    } else {
      const next = definition.schedule.kind === 'cron' ? nextCronRun(definition.schedule.expression, definition.schedule.timeZone, lastGood) : new Date(lastGood.getTime() + definition.schedule.everyMs);
      if (next === null) continue;
      scheduledAtMs = next.getTime();
      reason = scheduledAtMs > now.getTime() ? 'waiting' : scheduledAtMs < startedAtMs ? 'missed' : 'scheduled';
    }
    let runAtMs = Math.max(scheduledAtMs, startedAtMs) + jitter;
    const failedAtMs = lastFailure ? Date.parse(lastFailure.manifest.finishedAt) : Number.NEGATIVE_INFINITY;
    if (reason !== 'waiting' && failedAtMs >= (lastGood?.getTime() ?? Number.NEGATIVE_INFINITY) && failedAtMs + retryDelay > runAtMs) {
      runAtMs = failedAtMs + retryDelay;
      reason = 'retry';
    }
    scheduled.push({ definition, due: reason !== 'waiting' && runAtMs <= now.getTime(), reason, scheduledAt: new Date(scheduledAtMs), runAt: new Date(runAtMs) });
  }
  return scheduled;
}

/** The definitions to run now. */
export function dueBackups(project: Project, index: BackupIndex, now: Date, options: ScheduleOptions = {}): ScheduledBackup[] {
  return backupSchedule(project, index, now, options).filter((entry) => entry.due);
}
