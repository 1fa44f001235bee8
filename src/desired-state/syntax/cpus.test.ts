import { describe, expect, it } from 'vitest';
import { parseCpus } from './cpus.js';

describe('parseCpus', () => {
  it.each<[string | number, number]>([
    ['0', 0],
    ['0.0', 0],
    ['2', 2_000_000_000],
    ['0.5', 500_000_000],
    ['.5', 500_000_000],
    ['1.', 1_000_000_000],
    ['1.25', 1_250_000_000],
    ['0.000000001', 1],
    ['1.123456789', 1_123_456_789],
    ['007', 7_000_000_000],
    [0, 0],
    [1, 1_000_000_000],
    [0.1, 100_000_000],
    [1.1, 1_100_000_000],
    [0.3, 300_000_000],
    [1e-7, 100],
    [1e-9, 1],
    [1.123456789, 1_123_456_789],
    [64, 64_000_000_000],
  ])('parseCpus must read %j as %d NanoCPUs', (input, nanoCpus) => {
    expect(parseCpus(input)).toEqual({ ok: true, value: nanoCpus });
  });

  it.each<[string | number, string]>([
    ['', 'invalid cpus "": empty (write a decimal number such as "0.5" or "2")'],
    ['-1', 'invalid cpus "-1": must not be negative'],
    ['-0.5', 'invalid cpus "-0.5": must not be negative'],
    ['abc', 'invalid cpus "abc": expected a decimal number such as "0.5" or "2"'],
    ['.', 'invalid cpus ".": expected a decimal number such as "0.5" or "2"'],
    ['1.2.3', 'invalid cpus "1.2.3": expected a decimal number such as "0.5" or "2"'],
    ['1e3', 'invalid cpus "1e3": expected a decimal number such as "0.5" or "2"'],
    [' 1', 'invalid cpus " 1": expected a decimal number such as "0.5" or "2"'],
    ['2 cpus', 'invalid cpus "2 cpus": expected a decimal number such as "0.5" or "2"'],
    ['0.0000000001', 'invalid cpus "0.0000000001": too precise (at most 9 decimal places)'],
    ['1.1234567891', 'invalid cpus "1.1234567891": too precise (at most 9 decimal places)'],
    ['99999999', 'invalid cpus "99999999": too large'],
    [1e-10, 'invalid cpus 1e-10: too precise (at most 9 decimal places)'],
    [0.1234567891, 'invalid cpus 0.1234567891: too precise (at most 9 decimal places)'],
    [1e21, 'invalid cpus 1e+21: too large'],
    [-1, 'invalid cpus -1: must not be negative'],
    [Number.NaN, 'invalid cpus NaN: not a finite number'],
    [Number.POSITIVE_INFINITY, 'invalid cpus Infinity: not a finite number'],
  ])('parseCpus must reject %j', (input, error) => {
    expect(parseCpus(input)).toEqual({ ok: false, error });
  });
});
