import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from '../../observability/metrics-server.js';
import { shopSnapshot } from '../model/page-fixture.test-support.js';
import { createPageAuth, SESSION_COOKIE } from './auth.js';
import { CONTENT_SECURITY_POLICY } from './headers.js';
import { createStatusPage, type StatusPage } from './page-routes.js';
import { createFailureLimiter } from './rate-limit.js';

// The page on a real listener (the metrics server with the page's intercept), as a browser or curl sees it.

const TOKEN = 'page-token-0123456789abcdef';

async function listen(options: { token: string | null }): Promise<{ server: MetricsServer; page: StatusPage; url: string; nextCode: () => string | null }> {
  const auth = createPageAuth({ token: options.token });
  const page = createStatusPage({
    snapshot: async () => shopSnapshot(),
    auth,
    limiter: createFailureLimiter({ maxFailures: 3, windowMs: 60_000 }),
    assets: { script: 'console.log(1)', stylesheet: 'body{}' },
    openPaths: ['/healthz', '/readyz'],
  });
  const server = await startMetricsServer({
    address: '127.0.0.1:0',
    registry: new Registry(),
    health: () => ({ healthy: true }),
    readiness: () => ({ ready: true }),
    status: () => ({ ok: true }),
    intercept: page.intercept,
  });
  return { server, page, url: `http://${server.address}`, nextCode: () => auth.loginCode() };
}

describe('the page on loopback, without a token', () => {
  let listener: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (listener = await listen({ token: null })));
  afterAll(async () => {
    listener.page.close();
    await listener.server.close();
  });

  it.each(['/', '/page.json', '/page.js', '/page.css'])('%s must carry the security headers', async (path) => {
    const response = await fetch(`${listener.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/page.json', 'application/json; charset=utf-8'],
    ['/page.js', 'text/javascript; charset=utf-8'],
    ['/page.css', 'text/css; charset=utf-8'],
  ])('%s must be served as %s', async (path, type) => {
    expect((await fetch(`${listener.url}${path}`)).headers.get('content-type')).toBe(type);
  });

  it.each(['POST', 'PUT', 'DELETE'])('%s must be refused: the page is read-only', async (method) => {
    const response = await fetch(`${listener.url}/`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('the metrics server must still answer its own paths', async () => {
    expect((await fetch(`${listener.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${listener.url}/status`)).json()).toEqual({ ok: true });
  });

  it('the event stream must send every section at once', async () => {
    const controller = new AbortController();
    const response = await fetch(`${listener.url}/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: sections\ndata: ') || !text.endsWith('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const data = JSON.parse(/event: sections\ndata: (.*)\n\n/.exec(text)![1]!) as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(['audit-body', 'backups-body', 'drift-body', 'git-body', 'graph-body', 'overview-body', 'status-line']);
    expect(data['overview-body']).toContain('<tr data-service="db" data-state="healthy">');
  });
});

describe('the page beyond loopback, with a token', () => {
  let listener: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (listener = await listen({ token: TOKEN })));
  afterAll(async () => {
    listener.page.close();
    await listener.server.close();
  });

  it.each([
    ['no credentials', {}, 401],
    ['the bearer token', { authorization: `Bearer ${TOKEN}` }, 200],
  ])('/ with %s must answer %i', async (_what, headers, status) => {
    expect((await fetch(`${listener.url}/`, { headers })).status).toBe(status);
  });

  it.each(['/metrics', '/status', '/page.json', '/events'])('%s must need the token too', async (path) => {
    expect((await fetch(`${listener.url}${path}`)).status).toBe(401);
  });

  it.each(['/healthz', '/readyz'])('%s must stay open for probes', async (path) => {
    expect((await fetch(`${listener.url}${path}`)).status).toBe(200);
  });

  it('the one-time login link must set a session cookie that works, and work only once', async () => {
    const code = listener.nextCode()!;
    const first = await fetch(`${listener.url}/login?code=${code}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+; HttpOnly; SameSite=Strict; Path=/$`));
    expect(cookie).not.toContain(TOKEN);
    expect((await fetch(`${listener.url}/`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);
    expect((await fetch(`${listener.url}/login?code=${code}`, { redirect: 'manual' })).status).toBe(401);
    expect(listener.nextCode()).not.toBe(code);
  });

  it('failed token attempts must be rate-limited with 429 and Retry-After, even for the right token then', async () => {
    const wrong = { authorization: 'Bearer not-the-token-at-all' };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await fetch(`${listener.url}/`, { headers: wrong })).status);
    // One failure was already spent on the used login link above.
    expect(statuses).toEqual([401, 401, 429, 429]);
    const blocked = await fetch(`${listener.url}/`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
