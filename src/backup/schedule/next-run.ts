import { cronMatchesDay, type CronExpression } from './cron-expression.js';
import { addDays, instantOf, zonedParts } from './time-zone.js';

// When a schedule runs next: the first scheduled instant strictly after a given one.

/** Far enough for any expression that can run at all (weekday and leap-day combinations repeat). */
const SEARCH_DAYS = 366 * 8;

export function nextCronRun(expression: CronExpression, timeZone: string, after: Date): Date | null {
  const afterMs = after.getTime();
  const start = zonedParts(afterMs, timeZone);
  for (let offset = 0; offset <= SEARCH_DAYS; offset += 1) {
    const day = addDays(start, offset);
    if (!cronMatchesDay(expression, { month: day.month, dayOfMonth: day.day, dayOfWeek: day.dayOfWeek })) continue;
    for (const hour of expression.hours) {
      // A candidate can only be after `after` from the wall hour before it on (an hour of slack for
      // time-zone transitions), which keeps the search short for every-minute schedules.
      if (offset === 0 && hour < start.hour - 1) continue;
      for (const minute of expression.minutes) {
        const instant = instantOf({ year: day.year, month: day.month, day: day.day, hour, minute }, timeZone);
        if (instant > afterMs) return new Date(instant);
      }
    }
  }
  return null;
}
