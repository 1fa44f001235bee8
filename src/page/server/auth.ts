import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Who may read the page when it listens beyond loopback: a request carries the token from --ui-token-file
// as `Authorization: Bearer TOKEN`, or the session cookie that a one-time login link sets. The link's code
// is random, printed in the controller's log, and good once: using it mints the next one (logged too). The
// cookie holds an HMAC of the token, never the token. Without a token (loopback) every request is allowed.

export const SESSION_COOKIE = 'composelet_session';

export type Credentials = { kind: 'none' } | { kind: 'bearer'; value: string } | { kind: 'cookie'; value: string };

export type AuthDecision = 'allowed' | 'missing' | 'wrong';

/** The bearer token or the session cookie a request presents (the header wins). */
export function credentialsOf(headers: { authorization?: string | undefined; cookie?: string | undefined }): Credentials {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer) return { kind: 'bearer', value: bearer[1]! };
  for (const pair of (headers.cookie ?? '').split(';')) {
    const [name, ...rest] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return { kind: 'cookie', value: rest.join('=') };
  }
  return { kind: 'none' };
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface PageAuth {
  /** False: loopback without a token, every request allowed. */
  required: boolean;
  decide(credentials: Credentials): AuthDecision;
  /** The code of the current login link (path /login?code=...), or null without a token. */
  loginCode(): string | null;
  /** True once for the current code; it is replaced by a new one. */
  redeem(code: string): boolean;
  /** The cookie's value for a signed-in browser. */
  sessionValue(): string;
}

export function createPageAuth(options: { token: string | null; randomCode?: () => string }): PageAuth {
  const randomCode = options.randomCode ?? (() => randomBytes(24).toString('base64url'));
  const token = options.token;
  const session = token === null ? '' : createHmac('sha256', token).update('composelet page session v1').digest('base64url');
  let code = token === null ? null : randomCode();
  return {
    required: token !== null,
    decide(credentials) {
      if (token === null) return 'allowed';
      if (credentials.kind === 'none') return 'missing';
      const expected = credentials.kind === 'bearer' ? token : session;
      return sameText(credentials.value, expected) ? 'allowed' : 'wrong';
    },
    loginCode: () => code,
    redeem(candidate) {
      if (code === null || !sameText(candidate, code)) return false;
      code = randomCode();
      return true;
    },
    sessionValue: () => session,
  };
}

/** Reads --ui-token-file: the first line, trimmed; at least 16 characters. */
export function parseUiToken(text: string, file: string): string {
  const token = text.split('\n')[0]!.trim();
  if (token.length < 16) throw new Error(`${file}: the UI token must be at least 16 characters on the first line (got ${token.length}); e.g. openssl rand -hex 32 > ${file}`);
  return token;
}
