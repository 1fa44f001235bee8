import { describe, expect, it } from 'vitest';
import { createFailureCounter, exponentialDelay } from './backoff.js';

const options = { baseMs: 500, capMs: 30_000 };

describe('exponentialDelay', () => {
  it.each([
    [0, 500],
    [1, 1_000],
    [2, 2_000],
    [5, 16_000],
    [6, 30_000],
    [60, 30_000],
    [5_000, 30_000],
    [-3, 500],
    [1.7, 1_000],
    [Number.NaN, 500],
  ])('after %s earlier failures must wait %s ms', (previousFailures, expectedMs) => {
    expect(exponentialDelay(previousFailures, options)).toBe(expectedMs);
  });
});

describe('createFailureCounter', () => {
  it('must double the delay on each failure of a key up to the cap', () => {
    const counter = createFailureCounter<string>({ baseMs: 1_000, capMs: 5_000 });
    const delays = [1, 2, 3, 4, 5].map(() => counter.nextDelay('web'));
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(counter.failures('web')).toBe(5);
  });

  it('must count each key on its own', () => {
    const counter = createFailureCounter<string>(options);
    counter.nextDelay('web');
    counter.nextDelay('web');
    expect(counter.nextDelay('api')).toBe(500);
    expect(counter.failures('web')).toBe(2);
  });

  it('must start again from the base delay once a key is forgotten', () => {
    const counter = createFailureCounter<string>(options);
    counter.nextDelay('web');
    counter.nextDelay('web');
    counter.forget('web');
    expect(counter.failures('web')).toBe(0);
    expect(counter.nextDelay('web')).toBe(500);
  });
});
