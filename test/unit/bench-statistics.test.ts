import { describe, expect, it } from 'vitest';
import { growthExponent, median, percentile, summarize } from '../../bench/statistics.js';

describe('bench statistics', () => {
  it.each([
    [[5], 0.5, 5],
    [[3, 1, 2], 0.5, 2],
    [[4, 1, 3, 2], 0.5, 2.5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.99, 10.9],
    [[10, 20], 0, 10],
    [[10, 20], 1, 20],
    [[10, 20], 0.25, 12.5],
  ])('percentile(%j, %d) must be %d', (samples, fraction, expected) => {
    expect(percentile(samples, fraction)).toBeCloseTo(expected, 10);
  });

  it('the median must not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    expect(median(samples)).toBe(2);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('a summary must give the median and the spread', () => {
    expect(summarize([9, 1, 4, 7, 3])).toEqual({ median: 4, min: 1, max: 9, count: 5 });
  });

  it.each([
    ['no samples', () => summarize([])],
    ['no samples for a percentile', () => percentile([], 0.5)],
    ['a fraction above 1', () => percentile([1], 1.5)],
    ['a fraction that is not a number', () => percentile([1], Number.NaN)],
  ])('%s must be refused', (_case, compute) => {
    expect(compute).toThrow(RangeError);
  });

  it.each([
    [{ size: 10, value: 5 }, { size: 100, value: 50 }, 1],
    [{ size: 10, value: 5 }, { size: 100, value: 5 }, 0],
    [{ size: 10, value: 1 }, { size: 100, value: 100 }, 2],
  ])('growth from %j to %j must have exponent %d', (small, large, expected) => {
    expect(growthExponent(small, large)).toBeCloseTo(expected, 10);
  });
});
