import { createHmac, timingSafeEqual } from 'node:crypto';

// Who may trigger a fetch: a push webhook signed with the shared secret (`--webhook-secret-file`), in
// the format of the forge that sent it. Every comparison is constant-time over equal-length buffers.
//   GitHub         X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>
//   Gitea/Forgejo  X-Gitea-Signature (or X-Forgejo-Signature): <hex HMAC-SHA256 of the raw body>
//   GitLab         X-Gitlab-Token: <the secret itself>

export type WebhookProvider = 'github' | 'gitea' | 'gitlab';

export type WebhookVerdict = { ok: true; provider: WebhookProvider } | { ok: false; reason: string };

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function hmacHex(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Constant-time equality of two texts (different lengths compare a buffer with itself, then fail). */
export function safeEqual(left: string, right: string): boolean {
  const leftBytes = Buffer.from(left, 'utf8');
  const rightBytes = Buffer.from(right, 'utf8');
  if (leftBytes.length !== rightBytes.length) {
    timingSafeEqual(leftBytes, leftBytes);
    return false;
  }
  return timingSafeEqual(leftBytes, rightBytes);
}

export function verifyWebhook(input: { headers: Headers; body: Buffer; secret: string }): WebhookVerdict {
  const { headers, body, secret } = input;
  const github = header(headers, 'x-hub-signature-256');
  if (github !== undefined) {
    return safeEqual(github.trim().toLowerCase(), `sha256=${hmacHex(secret, body)}`) ? { ok: true, provider: 'github' } : { ok: false, reason: 'X-Hub-Signature-256 does not match' };
  }
  const gitea = header(headers, 'x-gitea-signature') ?? header(headers, 'x-forgejo-signature');
  if (gitea !== undefined) {
    return safeEqual(gitea.trim().toLowerCase(), hmacHex(secret, body)) ? { ok: true, provider: 'gitea' } : { ok: false, reason: 'X-Gitea-Signature does not match' };
  }
  const gitlab = header(headers, 'x-gitlab-token');
  if (gitlab !== undefined) {
    return safeEqual(gitlab, secret) ? { ok: true, provider: 'gitlab' } : { ok: false, reason: 'X-Gitlab-Token does not match' };
  }
  return { ok: false, reason: 'no X-Hub-Signature-256, X-Gitea-Signature or X-Gitlab-Token header' };
}

export type PushVerdict = { kind: 'push'; branch: string } | { kind: 'ping' } | { kind: 'other'; detail: string };

/** What a verified delivery says: a push to a branch, a ping, or something else (ignored). */
export function pushOf(input: { headers: Headers; body: Buffer }): PushVerdict {
  const event = header(input.headers, 'x-github-event') ?? header(input.headers, 'x-gitea-event') ?? header(input.headers, 'x-forgejo-event') ?? header(input.headers, 'x-gitlab-event');
  if (event === 'ping') return { kind: 'ping' };
  if (event !== undefined && !['push', 'Push Hook'].includes(event)) return { kind: 'other', detail: `event ${event}` };
  let payload: unknown;
  try {
    payload = JSON.parse(input.body.toString('utf8'));
  } catch {
    return { kind: 'other', detail: 'the body is not JSON' };
  }
  const ref = payload !== null && typeof payload === 'object' ? (payload as { ref?: unknown }).ref : undefined;
  if (typeof ref !== 'string' || !ref.startsWith('refs/heads/')) return { kind: 'other', detail: 'not a branch push' };
  return { kind: 'push', branch: ref.slice('refs/heads/'.length) };
}
