import { describe, expect, it } from 'vitest';
import { parseCron } from '../../src/backup/schedule/cron-expression.js';
import { nextCronRun, scheduleIntervalSeconds } from '../../src/backup/schedule/next-run.js';

// Five-field cron expressions and their next runs (through croner), with time zones: table tests,
// including the nights clocks change.

describe('parseCron', () => {
  it.each(['0 3 * * *', '*/15 * * * *', '0 0 * * mon-fri', '0 0 * * 7', '0 0 * jan,jul *', '5-20/5 * * * *', '10/20 * * * *', '@daily', '@weekly'])('"%s" must parse', (text) => {
    expect(parseCron(text)).toEqual({ ok: true, value: { source: text } });
  });

  it.each([
    ['* * *', 'expected 5 cron fields (minute hour day-of-month month day-of-week), got 3'],
    ['* * * * * *', 'expected 5 cron fields (minute hour day-of-month month day-of-week), got 6'],
    ['61 * * * *', 'Invalid value for minute: 61'],
    ['* 24 * * *', 'Invalid value for hour: 24'],
    ['*/0 * * * *', 'illegal stepping: 0'],
    ['5-1 * * * *', "From value is larger than to value: '5-1'"],
    ['0 0 * foo *', 'entry 4 (foo) contains illegal characters'],
    ['0 0 31 2 *', 'never runs'],
    ['@reboot', '@reboot is not supported'],
    ['1,,2 * * * *', 'minute () is empty'],
  ])('"%s" must be rejected: %s', (text, message) => {
    const parsed = parseCron(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});

describe('nextCronRun', () => {
  it.each([
    ['0 3 * * *', 'UTC', '2025-01-01T02:59:00Z', '2025-01-01T03:00:00.000Z'],
    ['0 3 * * *', 'UTC', '2025-01-01T03:00:00Z', '2025-01-02T03:00:00.000Z'],
    ['*/15 * * * *', 'UTC', '2025-01-01T00:07:30Z', '2025-01-01T00:15:00.000Z'],
    ['0 0 1 * *', 'UTC', '2025-01-31T12:00:00Z', '2025-02-01T00:00:00.000Z'],
    ['0 0 29 2 *', 'UTC', '2025-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 12 * * 1', 'UTC', '2025-01-01T00:00:00Z', '2025-01-06T12:00:00.000Z'],
    // Both day fields restricted: the 13th or a Friday, whichever comes first (Vixie).
    ['0 0 13 * 5', 'UTC', '2025-01-01T00:00:00Z', '2025-01-03T00:00:00.000Z'],
    ['59 23 31 12 *', 'UTC', '2025-12-31T23:59:00Z', '2026-12-31T23:59:00.000Z'],
    ['30 9 * * 1-5', 'Europe/Berlin', '2025-01-03T09:00:00Z', '2025-01-06T08:30:00.000Z'],
    ['0 0 * * *', 'America/New_York', '2025-07-01T12:00:00Z', '2025-07-02T04:00:00.000Z'],
    ['0 0 * * *', 'Asia/Kolkata', '2025-01-01T00:00:00Z', '2025-01-01T18:30:00.000Z'],
    // Clocks go forward at 02:00 in Berlin on 2025-03-30: 02:30 does not exist and runs right after the
    // gap, at 03:00 CEST (Vixie cron's rule, croner's; the hand-written reader ran it at 03:30).
    ['30 2 * * *', 'Europe/Berlin', '2025-03-29T12:00:00Z', '2025-03-30T01:00:00.000Z'],
    // Clocks go back at 03:00 on 2025-10-26: 02:30 happens twice and runs at the first.
    ['30 2 * * *', 'Europe/Berlin', '2025-10-25T12:00:00Z', '2025-10-26T00:30:00.000Z'],
    ['30 2 * * *', 'Europe/Berlin', '2025-10-26T00:30:00Z', '2025-10-27T01:30:00.000Z'],
  ])('"%s" in %s after %s must run at %s', (text, timeZone, after, expected) => {
    const parsed = parseCron(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(nextCronRun(parsed.value, timeZone, new Date(after))?.toISOString()).toBe(expected);
  });

  it('an every-minute schedule must run at the next minute', () => {
    const parsed = parseCron('* * * * *');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(nextCronRun(parsed.value, 'Europe/Berlin', new Date('2025-06-01T10:00:59.999Z'))?.toISOString()).toBe('2025-06-01T10:01:00.000Z');
  });

  it('a day of month February never has must still run on the day of week given with it', () => {
    const parsed = parseCron('0 0 30 2 1');
    if (!parsed.ok) throw new Error(parsed.error);
    // "30 February or a Monday in February": the Mondays of February.
    expect(nextCronRun(parsed.value, 'UTC', new Date('2025-01-01T00:00:00Z'))?.toISOString()).toBe('2025-02-03T00:00:00.000Z');
  });
});

describe('scheduleIntervalSeconds', () => {
  const cron = (text: string, timeZone = 'UTC') => ({ kind: 'cron' as const, text, expression: { source: text }, timeZone });
  it.each([
    ['every 6h', { kind: 'interval' as const, text: 'every 6h', everyMs: 6 * 3600_000 }, 6 * 3600],
    ['daily', cron('0 3 * * *'), 86_400],
    ['weekdays at 9: the weekend gap', cron('0 9 * * 1-5'), 3 * 86_400],
    ['every 15 minutes', cron('*/15 * * * *'), 900],
    ['no schedule', null, 0],
  ])('%s must allow a last good backup %i seconds old', (_name, schedule, seconds) => {
    expect(scheduleIntervalSeconds(schedule, new Date('2025-01-01T00:00:00Z'))).toBe(seconds);
  });
});
