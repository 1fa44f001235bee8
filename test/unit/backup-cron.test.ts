import { describe, expect, it } from 'vitest';
import { parseCron } from '../../src/backup/schedule/cron-expression.js';
import { nextCronRun } from '../../src/backup/schedule/next-run.js';
import { instantOf } from '../../src/backup/schedule/time-zone.js';

// The five-field cron reader and the next-run calculator, with time zones through Intl: table tests,
// including the nights clocks change.

describe('parseCron', () => {
  it.each([
    ['0 3 * * *', { minutes: [0], hours: [3], daysOfWeek: [0, 1, 2, 3, 4, 5, 6] }],
    ['*/15 * * * *', { minutes: [0, 15, 30, 45] }],
    ['0 0 * * mon-fri', { daysOfWeek: [1, 2, 3, 4, 5], dayOfWeekRestricted: true }],
    ['0 0 * * 7', { daysOfWeek: [0] }],
    ['0 0 * jan,jul *', { months: [1, 7] }],
    ['5-20/5 * * * *', { minutes: [5, 10, 15, 20] }],
    ['10/20 * * * *', { minutes: [10, 30, 50] }],
    ['@daily', { minutes: [0], hours: [0], dayOfMonthRestricted: false }],
    ['@weekly', { daysOfWeek: [0] }],
  ])('"%s" must parse', (text, expected) => {
    const parsed = parseCron(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toMatchObject(expected);
  });

  it.each([
    ['* * *', 'expected 5 cron fields (minute hour day-of-month month day-of-week), got 3'],
    ['61 * * * *', 'minute: 61 is out of range 0-59'],
    ['* 24 * * *', 'hour: 24 is out of range 0-23'],
    ['*/0 * * * *', 'minute: step "0" must be a positive integer'],
    ['5-1 * * * *', 'minute: range "5-1" ends before it starts'],
    ['0 0 * foo *', 'month: "foo" is not a number or a name'],
    ['0 0 31 2 *', 'never runs'],
    ['@reboot', 'unknown cron shorthand "@reboot"'],
    ['1,,2 * * * *', 'minute: cannot read ""'],
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
    // Clocks go forward at 02:00 in Berlin on 2025-03-30: 02:30 does not exist and runs at 03:30 CEST.
    ['30 2 * * *', 'Europe/Berlin', '2025-03-29T12:00:00Z', '2025-03-30T01:30:00.000Z'],
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

describe('instantOf', () => {
  it.each([
    ['UTC', { year: 2025, month: 1, day: 1, hour: 0, minute: 0 }, '2025-01-01T00:00:00.000Z'],
    ['Europe/Berlin', { year: 2025, month: 7, day: 1, hour: 12, minute: 0 }, '2025-07-01T10:00:00.000Z'],
    ['Australia/Lord_Howe', { year: 2025, month: 1, day: 1, hour: 0, minute: 0 }, '2024-12-31T13:00:00.000Z'],
  ])('wall time in %s must map to its instant', (timeZone, wall, expected) => {
    expect(new Date(instantOf(wall, timeZone)).toISOString()).toBe(expected);
  });
});
