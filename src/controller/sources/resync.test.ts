import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { resync } from './resync.js';

describe('resync', () => {
  it('must tick once per period, the first time one period after subscribing', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ expectObservable }) => {
      expectObservable(resync({ periodMs: 1_000 }), '^ 3500ms !').toBe('1s t 999ms t 999ms t', { t: undefined });
    });
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('must refuse a period of %s', (periodMs) => {
    expect(() => resync({ periodMs })).toThrow(RangeError);
  });
});
