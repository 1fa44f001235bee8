import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from './schedule-expression.js';

describe('operator schedules', () => {
  it.each<[string, string]>([
    ['0 3 * * 5', '0 3 * * 5'],
    ['  0 18 * * * ', '0 18 * * *'],
    ['*/2 * * * * *', '*/2 * * * * *'],
    ['@daily', '@daily'],
  ])('"%s" must be read as "%s"', (text, source) => {
    expect(parseScheduleExpression(text)).toEqual({ ok: true, value: { source } });
  });

  it.each<[string, RegExp]>([
    ['0 18 * *', /expected a cron expression of 5 fields .* or 6 \(seconds first\), got 4/],
    ['0 25 * * *', /hour|range|invalid/i],
    ['0 0 31 2 *', /never runs/],
    ['every day', /got 2/],
  ])('"%s" must be refused with a reason', (text, reason) => {
    const parsed = parseScheduleExpression(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });
});
