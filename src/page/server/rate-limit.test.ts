import { describe, expect, it } from 'vitest';
import { createFailureLimiter } from './rate-limit.js';

describe('failed token attempts', () => {
  it.each([
    [4, null],
    [5, 60],
    [9, 60],
  ])('after %i failures in the window the address must wait %s s', (failures, wait) => {
    const limiter = createFailureLimiter({ maxFailures: 5, windowMs: 60_000, now: () => 1_000 });
    for (let count = 0; count < failures; count += 1) limiter.recordFailure('10.0.0.1');
    expect(limiter.blockedFor('10.0.0.1')).toBe(wait);
    expect(limiter.blockedFor('10.0.0.2')).toBeNull();
  });

  it('a new window must start once the last one ended', () => {
    let now = 0;
    const limiter = createFailureLimiter({ maxFailures: 2, windowMs: 10_000, now: () => now });
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    now = 4_000;
    expect(limiter.blockedFor('a')).toBe(6);
    now = 10_000;
    expect(limiter.blockedFor('a')).toBeNull();
    limiter.recordFailure('a');
    expect(limiter.blockedFor('a')).toBeNull();
  });

  it('the table must stay bounded', () => {
    const limiter = createFailureLimiter({ maxFailures: 1, windowMs: 60_000, now: () => 0, maxAddresses: 2 });
    ['a', 'b', 'c'].forEach((address) => limiter.recordFailure(address));
    expect(limiter.blockedFor('a')).toBeNull();
    expect(limiter.blockedFor('c')).toBe(60);
  });
});
