import { Cron, type CronOptions } from 'croner';
import { fail, ok, type ParseResult } from '../../desired-state/syntax/result.js';

// Five-field cron expressions (minute hour day-of-month month day-of-week), read by croner: numbers,
// ranges, steps (`a/n` too, as Vixie cron reads it), lists, month and weekday names, 0 and 7 for Sunday,
// the @hourly ... @yearly shorthands, time zones. When both day fields are restricted a day matches
// either one (Vixie's rule, croner's default).

export interface CronExpression {
  /** The expression as written, trimmed: what croner reads again for each next run. */
  source: string;
}

const OPTIONS: CronOptions = { mode: '5-part', sloppyRanges: true, domAndDow: false, paused: true };

/** A croner job (never started) for the expression in a time zone. */
export function cronJob(expression: CronExpression, timeZone: string): Cron {
  return new Cron(expression.source, { ...OPTIONS, timezone: timeZone });
}

export function parseCron(text: string): ParseResult<CronExpression> {
  const trimmed = text.trim();
  const fields = trimmed.split(/\s+/).filter(Boolean);
  if (!trimmed.startsWith('@') && fields.length !== 5) {
    return fail(`expected 5 cron fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  const expression: CronExpression = { source: fields.join(' ') };
  let job: Cron;
  try {
    job = cronJob(expression, 'UTC');
  } catch (error) {
    return fail((error as Error).message.replace(/^CronPattern:\s*/, ''));
  }
  if (job.nextRun() === null) return fail(`"${trimmed}" never runs: none of its months has that day of month`);
  return ok(expression);
}
