import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { formatListenAddress, parseListenAddress } from './listen-address.js';

// The HTTP side of observability: /metrics (Prometheus text from the controller's own registry),
// /healthz (is the process able to work), /readyz (has it done its first reconcile, is the engine
// there), /status (JSON for humans and scripts). Loopback by default; see listen-address.ts.

export interface HealthReport {
  healthy: boolean;
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  detail?: string;
}

export interface MetricsServerOptions {
  /** `127.0.0.1:9464` (the default to pass), `[::1]:9464`, `:9464` for every interface; port 0 picks one. */
  address: string;
  registry: Registry;
  health: () => HealthReport | Promise<HealthReport>;
  readiness: () => ReadinessReport | Promise<ReadinessReport>;
  /** Served as JSON at /status; without it /status is 404. */
  status?: () => unknown | Promise<unknown>;
  /** A POST endpoint (the git webhook, /hooks/git); without it the path is 404. */
  webhook?: WebhookEndpoint;
  /** Sees every request first (the status page, src/page: its routes and the token check); true when it
   * answered. */
  intercept?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
}

export interface WebhookEndpoint {
  path: string;
  /** Bodies longer than this are refused with 413 before the handler sees them. */
  maxBodyBytes: number;
  handle(request: { headers: IncomingMessage['headers']; body: Buffer }): Promise<{ status: number; body: string }>;
}

export interface MetricsServer {
  /** The bound address, with the real port when port 0 was asked: `127.0.0.1:40123`. */
  address: string;
  /** Stops accepting connections and resolves once open ones are done; safe to call twice. */
  close(): Promise<void>;
}

interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

const TEXT = 'text/plain; charset=utf-8';
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use (another composelet or exporter on this port? pick another with the metrics address option)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'address not available on this host',
  ENOTFOUND: 'host name not found',
};

function text(status: number, body: string): Reply {
  return { status, contentType: TEXT, body: `${body}\n` };
}

async function route(method: string, path: string, options: MetricsServerOptions): Promise<Reply> {
  const known = ['/metrics', '/healthz', '/readyz', ...(options.status ? ['/status'] : [])];
  if (!known.includes(path)) return text(404, `not found: ${path} (try ${known.join(', ')})`);
  if (method !== 'GET' && method !== 'HEAD') return { ...text(405, `method ${method} not allowed`), headers: { allow: 'GET, HEAD' } };
  switch (path) {
    case '/metrics':
      return { status: 200, contentType: options.registry.contentType, body: await options.registry.metrics() };
    case '/healthz': {
      const report = await options.health();
      return report.healthy ? text(200, report.detail ? `ok: ${report.detail}` : 'ok') : text(503, `unhealthy: ${report.detail ?? 'no detail given'}`);
    }
    case '/readyz': {
      const report = await options.readiness();
      return report.ready ? text(200, report.detail ? `ready: ${report.detail}` : 'ready') : text(503, `not ready: ${report.detail ?? 'no detail given'}`);
    }
    default:
      return { status: 200, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify((await options.status?.()) ?? null, null, 2)}\n` };
  }
}

/** The raw body, or null once it grows past `maxBytes`. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        resolve(null);
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxBytes ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

async function webhookReply(request: IncomingMessage, method: string, webhook: WebhookEndpoint): Promise<Reply> {
  if (method !== 'POST') return { ...text(405, `method ${method} not allowed`), headers: { allow: 'POST' } };
  const body = await readBody(request, webhook.maxBodyBytes);
  if (body === null) return text(413, `body larger than ${webhook.maxBodyBytes} bytes`);
  const reply = await webhook.handle({ headers: request.headers, body });
  return text(reply.status, reply.body);
}

async function handle(request: IncomingMessage, response: ServerResponse, options: MetricsServerOptions): Promise<void> {
  const method = request.method ?? 'GET';
  const path = new URL(request.url ?? '/', 'http://metrics.invalid').pathname;
  let reply: Reply;
  try {
    if (options.intercept && (await options.intercept(request, response))) return;
    reply = options.webhook && path === options.webhook.path ? await webhookReply(request, method, options.webhook) : await route(method, path, options);
  } catch (error) {
    reply = text(500, `${path} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  response.writeHead(reply.status, { 'content-type': reply.contentType, 'cache-control': 'no-store', ...reply.headers });
  response.end(method === 'HEAD' ? undefined : reply.body);
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { host, port } = parseListenAddress(options.address);
  const server = createServer((request, response) => void handle(request, response, options));
  return new Promise((resolve, reject) => {
    const onListenError = (error: NodeJS.ErrnoException) => {
      const reason = LISTEN_ERRORS[error.code ?? ''] ?? error.message;
      reject(new Error(`metrics server cannot listen on ${options.address}: ${reason}`, { cause: error }));
    };
    server.once('error', onListenError);
    server.listen({ host, port }, () => {
      server.off('error', onListenError);
      const bound = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        address: formatListenAddress(bound.address, bound.port),
        close() {
          closing ??= new Promise<void>((closed, failed) => {
            server.close((error) => (error ? failed(error) : closed()));
            server.closeIdleConnections();
          });
          return closing;
        },
      });
    });
  });
}
