import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PageSnapshot } from '../model/page-snapshot.js';
import { renderDocument } from '../render/document.js';
import { renderSections, type AuditFilter } from '../render/sections.js';
import type { PageAssets } from './assets.js';
import { credentialsOf, SESSION_COOKIE, type PageAuth } from './auth.js';
import { securityHeaders } from './headers.js';
import { createLiveFeed, type LiveFeed } from './live-feed.js';
import type { FailureLimiter } from './rate-limit.js';

// The status page on the controller's listener: `/` (server-rendered), `/events` (server-sent events),
// `/page.json` (the snapshot), `/page.js` and `/page.css`, and `/login?code=` (the one-time link). Read-only:
// GET and HEAD only. With a token, every path but the probes and the webhook needs it (a bearer header or
// the session cookie); failed attempts are rate-limited per client address.

export interface StatusPage {
  /** True when the request was answered here; false: the metrics server routes it. */
  intercept(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** Something may have changed: live pages get the new sections shortly. */
  changed(): void;
  /** Ends the event streams. */
  close(): void;
}

export interface StatusPageOptions {
  snapshot(): Promise<PageSnapshot>;
  auth: PageAuth;
  limiter: FailureLimiter;
  assets: PageAssets;
  /** Paths that never need the token: the probes and the signed webhook. */
  openPaths: readonly string[];
  onError?: (error: unknown) => void;
  /** A login link was used (a new one is current). */
  onRedeemed?: () => void;
}

const PAGE_PATHS = ['/', '/events', '/page.json', '/page.js', '/page.css', '/login', '/favicon.ico'];

function send(response: ServerResponse, status: number, contentType: string, body: string, extra: Record<string, string> = {}, head = false): true {
  response.writeHead(status, { ...securityHeaders(), 'content-type': contentType, ...extra });
  response.end(head ? undefined : body);
  return true;
}

function filterOf(url: URL): AuditFilter {
  return { project: url.searchParams.get('project') || null, service: url.searchParams.get('service') || null };
}

const TEXT = 'text/plain; charset=utf-8';

export function createStatusPage(options: StatusPageOptions): StatusPage {
  const feed: LiveFeed = createLiveFeed({
    render: async () => renderSections(await options.snapshot(), { project: null, service: null }),
    ...(options.onError ? { onError: options.onError } : {}),
  });

  /** Null: go on; else the request was answered (401, 429). */
  const gate = (request: IncomingMessage, response: ServerResponse, path: string, head: boolean): true | null => {
    if (!options.auth.required || options.openPaths.includes(path)) return null;
    const address = request.socket.remoteAddress ?? 'unknown';
    const wait = options.limiter.blockedFor(address);
    if (wait !== null) return send(response, 429, TEXT, `too many failed token attempts: retry in ${wait}s\n`, { 'retry-after': String(wait) }, head);
    if (path === '/login') return null;
    const decision = options.auth.decide(credentialsOf(request.headers));
    if (decision === 'allowed') return null;
    if (decision === 'wrong') options.limiter.recordFailure(address);
    return send(response, 401, TEXT, 'sign in: open the one-time login link the controller logged, or send Authorization: Bearer <the token in --ui-token-file>\n', { 'www-authenticate': 'Bearer realm="composelet"' }, head);
  };

  return {
    async intercept(request, response) {
      const url = new URL(request.url ?? '/', 'http://page.invalid');
      const path = url.pathname;
      const method = request.method ?? 'GET';
      const head = method === 'HEAD';
      const isPage = PAGE_PATHS.includes(path);
      if (gate(request, response, path, head)) return true;
      if (!isPage) return false;
      if (method !== 'GET' && !head) return send(response, 405, TEXT, `method ${method} not allowed: the page is read-only\n`, { allow: 'GET, HEAD' });
      try {
        switch (path) {
          case '/login': {
            const code = url.searchParams.get('code') ?? '';
            if (!options.auth.required) return send(response, 303, TEXT, 'no sign-in needed\n', { location: '/' }, head);
            if (!options.auth.redeem(code)) {
              options.limiter.recordFailure(request.socket.remoteAddress ?? 'unknown');
              return send(response, 401, TEXT, 'this login link is not valid (each link works once; the log has the current one)\n', {}, head);
            }
            options.onRedeemed?.();
            const cookie = `${SESSION_COOKIE}=${options.auth.sessionValue()}; HttpOnly; SameSite=Strict; Path=/`;
            return send(response, 303, TEXT, 'signed in\n', { location: '/', 'set-cookie': cookie }, head);
          }
          case '/events':
            await feed.attach(response, securityHeaders());
            return true;
          case '/favicon.ico':
            response.writeHead(204, securityHeaders());
            response.end();
            return true;
          case '/page.json':
            return send(response, 200, 'application/json; charset=utf-8', `${JSON.stringify(await options.snapshot(), null, 2)}\n`, {}, head);
          case '/page.js':
            if (options.assets.script === null) return send(response, 404, TEXT, 'page.js is not built (npm run build)\n', {}, head);
            return send(response, 200, 'text/javascript; charset=utf-8', options.assets.script, {}, head);
          case '/page.css':
            if (options.assets.stylesheet === null) return send(response, 404, TEXT, 'page.css is not built (npm run build)\n', {}, head);
            return send(response, 200, 'text/css; charset=utf-8', options.assets.stylesheet, {}, head);
          default:
            return send(response, 200, 'text/html; charset=utf-8', renderDocument(await options.snapshot(), filterOf(url), { script: options.assets.script !== null }), {}, head);
        }
      } catch (error) {
        options.onError?.(error);
        return send(response, 500, TEXT, `the page failed: ${error instanceof Error ? error.message : String(error)}\n`, {}, head);
      }
    },
    changed: () => feed.changed(),
    close: () => feed.close(),
  };
}
