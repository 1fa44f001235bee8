import { describe, expect, it } from 'vitest';
import { fail, ok, type ParseResult } from './result.js';

describe('ok', () => {
  it('ok must wrap the value in a success result', () => {
    const result: ParseResult<number> = ok(42);
    expect(result).toEqual({ ok: true, value: 42 });
  });
});

describe('fail', () => {
  it('fail must wrap the cause in a failure result', () => {
    const result: ParseResult<number> = fail('bad input "x"');
    expect(result).toEqual({ ok: false, error: 'bad input "x"' });
  });
});
