import { describe, expect, it } from 'vitest';
import { createPageAuth, credentialsOf, parseUiToken, SESSION_COOKIE } from './auth.js';

const TOKEN = 'a-token-of-32-characters-exactly';

describe('credentialsOf', () => {
  it.each([
    [{}, { kind: 'none' }],
    [{ authorization: `Bearer ${TOKEN}` }, { kind: 'bearer', value: TOKEN }],
    [{ authorization: `bearer   ${TOKEN}  ` }, { kind: 'bearer', value: TOKEN }],
    [{ authorization: `Basic abc` }, { kind: 'none' }],
    [{ cookie: `other=1; ${SESSION_COOKIE}=abc=def` }, { kind: 'cookie', value: 'abc=def' }],
    [{ authorization: `Bearer x`, cookie: `${SESSION_COOKIE}=y` }, { kind: 'bearer', value: 'x' }],
  ])('%j presents %j', (headers, expected) => {
    expect(credentialsOf(headers)).toEqual(expected);
  });
});

describe('the page token', () => {
  const auth = createPageAuth({ token: TOKEN, randomCode: (() => { let count = 0; return () => `code-${++count}`; })() });

  it.each([
    [{ kind: 'none' as const }, 'missing'],
    [{ kind: 'bearer' as const, value: TOKEN }, 'allowed'],
    [{ kind: 'bearer' as const, value: `${TOKEN}x` }, 'wrong'],
    [{ kind: 'bearer' as const, value: 'short' }, 'wrong'],
    [{ kind: 'cookie' as const, value: TOKEN }, 'wrong'],
    [{ kind: 'cookie' as const, value: auth.sessionValue() }, 'allowed'],
  ])('%j is %s', (credentials, decision) => {
    expect(auth.decide(credentials)).toBe(decision);
  });

  it('a login link must work once, and the next one must differ', () => {
    const first = auth.loginCode()!;
    expect(auth.redeem(first)).toBe(true);
    expect(auth.redeem(first)).toBe(false);
    expect(auth.loginCode()).not.toBe(first);
    expect(auth.redeem('guess')).toBe(false);
  });

  it('the session cookie must not be the token', () => {
    expect(auth.sessionValue()).not.toContain(TOKEN);
  });

  it('without a token every request must be allowed and there must be no login link', () => {
    const open = createPageAuth({ token: null });
    expect(open.required).toBe(false);
    expect(open.decide({ kind: 'none' })).toBe('allowed');
    expect(open.loginCode()).toBeNull();
  });
});

describe('parseUiToken', () => {
  it.each([
    [`${TOKEN}\n`, TOKEN],
    [`  ${TOKEN}  \nsecond line`, TOKEN],
  ])('%j gives the token', (text, token) => {
    expect(parseUiToken(text, '/etc/ui-token')).toBe(token);
  });

  it.each(['', 'short\n', '\nlong-enough-but-on-line-two'])('%j must be refused, naming the file', (text) => {
    expect(() => parseUiToken(text, '/etc/ui-token')).toThrow(/\/etc\/ui-token: the UI token must be at least 16 characters/);
  });
});
