import { Cron } from 'croner';
import { fail, ok, type ParseResult } from '../desired-state/syntax/result.js';

// The schedules of the operator's day (scheduled gc, the daily report): cron expressions of five fields
// (minute hour day-of-month month day-of-week) as the backup schedules read them, or six with seconds
// first ("*/2 * * * * *"), read by croner. Times are the controller's local time (UTC in the image).

export interface ScheduleExpression {
  /** As written, trimmed, fields joined by one space: what croner reads. */
  source: string;
}

/** A croner job for the expression, paused (the caller starts it or only asks for next runs). */
export function scheduleJob(expression: ScheduleExpression, run?: () => void | Promise<void>): Cron {
  const options = { mode: '5-or-6-parts' as const, sloppyRanges: true, domAndDow: false, protect: true, paused: run === undefined };
  return run === undefined ? new Cron(expression.source, options) : new Cron(expression.source, options, run);
}

export function parseScheduleExpression(text: string): ParseResult<ScheduleExpression> {
  const trimmed = text.trim();
  const fields = trimmed.split(/\s+/).filter(Boolean);
  if (!trimmed.startsWith('@') && fields.length !== 5 && fields.length !== 6) {
    return fail(`expected a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${fields.length}`);
  }
  const expression: ScheduleExpression = { source: fields.join(' ') };
  let job: Cron;
  try {
    job = scheduleJob(expression);
  } catch (error) {
    return fail((error as Error).message.replace(/^CronPattern:\s*/, ''));
  }
  const next = job.nextRun();
  job.stop();
  if (next === null) return fail(`"${trimmed}" never runs: none of its months has that day of month`);
  return ok(expression);
}
