import { describe, expect, it } from 'vitest';
import { isStillInUse } from './perform-removal.js';

describe('isStillInUse', () => {
  it.each([
    ['(HTTP code 400) unexpected - rpc error: code = FailedPrecondition desc = network abc is in use by task def', true],
    ['error while removing network: network demo_default id abc has active endpoints', true],
    ['rpc error: code = InvalidArgument desc = config demo_conf is in use by the following service: demo_api', true],
    ['(HTTP code 404) no such service', false],
  ])('%s', (message, expected) => {
    expect(isStillInUse(new Error(message))).toBe(expected);
  });
});
