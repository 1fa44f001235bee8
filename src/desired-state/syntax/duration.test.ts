import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

const SECOND = 1_000_000_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('parseDuration', () => {
  it.each<[string | number, number]>([
    ['0', 0],
    ['+0', 0],
    ['0s', 0],
    ['100ns', 100],
    ['10us', 10_000],
    ['10\u00b5s', 10_000],
    ['10\u03bcs', 10_000],
    ['500ms', 500_000_000],
    ['1.5s', 1_500_000_000],
    ['.5s', 500_000_000],
    ['5.s', 5 * SECOND],
    ['2m', 2 * MINUTE],
    ['1h30m', HOUR + 30 * MINUTE],
    ['1h30m15s', HOUR + 30 * MINUTE + 15 * SECOND],
    ['1m1m', 2 * MINUTE],
    ['+3s', 3 * SECOND],
    ['1.5ns', 1],
    ['0.0000000019s', 1],
    ['2562047h47m16.854775807s', 9_223_372_036_854_775_807],
    [0, 0],
    [30, 30 * SECOND],
    [1.5, 1_500_000_000],
    [0.1, 100_000_000],
  ])('parseDuration must read %j as %d nanoseconds', (input, nanoseconds) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: nanoseconds });
  });

  it.each<[string | number, string]>([
    ['', 'invalid duration "": empty (write a number with a unit, such as "30s")'],
    ['10', 'invalid duration "10": missing unit after "10" (use ns, us, ms, s, m or h)'],
    ['1h30', 'invalid duration "1h30": missing unit after "30" (use ns, us, ms, s, m or h)'],
    ['10x', 'invalid duration "10x": unknown unit "x" (use ns, us, ms, s, m or h)'],
    ['10S', 'invalid duration "10S": unknown unit "S" (use ns, us, ms, s, m or h)'],
    ['1h 30m', 'invalid duration "1h 30m": unknown unit "h " (use ns, us, ms, s, m or h)'],
    ['1d', 'invalid duration "1d": unknown unit "d" (use ns, us, ms, s, m or h)'],
    ['s', 'invalid duration "s": expected a number at "s"'],
    ['.s', 'invalid duration ".s": expected a number at ".s"'],
    [' 1s', 'invalid duration " 1s": expected a number at " 1s"'],
    ['+', 'invalid duration "+": expected a number after "+"'],
    ['-1s', 'invalid duration "-1s": must not be negative'],
    ['-0', 'invalid duration "-0": must not be negative'],
    ['2562048h', 'invalid duration "2562048h": too long (at most 2562047h47m16.854775807s)'],
    [-1, 'invalid duration -1: must not be negative'],
    [Number.NaN, 'invalid duration NaN: not a finite number of seconds'],
    [Number.POSITIVE_INFINITY, 'invalid duration Infinity: not a finite number of seconds'],
    [1e19, 'invalid duration 10000000000000000000: too long (at most 2562047h47m16.854775807s)'],
  ])('parseDuration must reject %j', (input, error) => {
    expect(parseDuration(input)).toEqual({ ok: false, error });
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1_000, '1\u00b5s'],
    [1_500, '1.5\u00b5s'],
    [500_000_000, '500ms'],
    [1_500_000, '1.5ms'],
    [SECOND, '1s'],
    [1_500_000_000, '1.5s'],
    [90 * SECOND, '1m30s'],
    [2 * MINUTE, '2m'],
    [HOUR, '1h'],
    [HOUR + 30 * MINUTE, '1h30m'],
    [HOUR + 500_000_000, '1h0.5s'],
    [HOUR + 1, '1h0.000000001s'],
    [-1_500_000_000, '-1.5s'],
  ])('formatDuration must write %d nanoseconds as %j', (nanoseconds, text) => {
    expect(formatDuration(nanoseconds)).toBe(text);
  });

  it('formatDuration must refuse a fractional number of nanoseconds', () => {
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });

  it('formatDuration must produce text that parseDuration reads back as the same whole milliseconds', () => {
    const maxMilliseconds = Math.floor(Number.MAX_SAFE_INTEGER / 1_000_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: maxMilliseconds }), (milliseconds) => {
        const nanoseconds = milliseconds * 1_000_000;
        expect(parseDuration(formatDuration(nanoseconds))).toEqual({ ok: true, value: nanoseconds });
      }),
    );
  });

  it('formatDuration must produce text that parseDuration reads back for any safe nanoseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (nanoseconds) => {
        expect(parseDuration(formatDuration(nanoseconds))).toEqual({ ok: true, value: nanoseconds });
      }),
    );
  });
});
