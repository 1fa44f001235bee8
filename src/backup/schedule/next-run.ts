import type { BackupSchedule } from '../definitions/definition.js';
import { cronJob, type CronExpression } from './cron-expression.js';

// When a schedule runs next: the first scheduled instant strictly after a given one, by croner. A wall
// time skipped when clocks go forward runs at the first minute after the gap (as Vixie cron does); one
// that happens twice runs once, at its first occurrence.

export function nextCronRun(expression: CronExpression, timeZone: string, after: Date): Date | null {
  return cronJob(expression, timeZone).nextRun(after);
}

/** Runs looked at to find a cron schedule's longest gap: a year of a weekly schedule, a month of an hourly one. */
const GAP_SAMPLE_RUNS = 60;

/** The longest gap the schedule leaves between two runs, in seconds (from `from` on, for cron): how old
 * the last good backup may get before it is late. 0 without a schedule. */
export function scheduleIntervalSeconds(schedule: BackupSchedule | null, from: Date): number {
  if (schedule === null) return 0;
  if (schedule.kind === 'interval') return schedule.everyMs / 1000;
  const runs = cronJob(schedule.expression, schedule.timeZone).nextRuns(GAP_SAMPLE_RUNS, from);
  let longest = 0;
  for (let index = 1; index < runs.length; index++) longest = Math.max(longest, runs[index]!.getTime() - runs[index - 1]!.getTime());
  return longest / 1000;
}
