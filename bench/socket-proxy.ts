import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A counting proxy for the Docker API: listens on a unix socket of its own, forwards every HTTP request
// to the engine's socket unchanged and counts it, so any client (docker-compose included, through
// DOCKER_HOST=unix://...) says how many API calls it made. Hijacked connections (attach) are passed
// through byte for byte and counted once.

export interface RequestCounts {
  total: number;
  /** Requests other than GET and HEAD. */
  mutating: number;
  /** "GET /containers/{id}/json" -> count. */
  byEndpoint: Record<string, number>;
}

export interface CountingProxy {
  /** The value for DOCKER_HOST. */
  dockerHost: string;
  counts(): RequestCounts;
  reset(): void;
  close(): Promise<void>;
}

/** "/v1.41/containers/abc/json?all=1" -> "/containers/{id}/json"; image names may hold slashes. */
export function endpointOf(url: string): string {
  const path = url.split('?')[0]!.replace(/^\/v\d+\.\d+(?=\/)/, '');
  const image = /^\/images\/(.+?)(\/(json|history|push|tag|get))?$/.exec(path);
  if (image && !['json', 'create', 'prune', 'load', 'search', 'get'].includes(image[1]!)) return `/images/{name}${image[2] ?? ''}`;
  return path.replace(/^\/(containers|networks|volumes|exec|plugins)\/([^/]+)/, (whole, kind: string, name: string) =>
    ['json', 'create', 'prune'].includes(name) ? whole : `/${kind}/{id}`,
  );
}

export async function startCountingProxy(options: { upstreamSocketPath: string }): Promise<CountingProxy> {
  const directory = mkdtempSync(join(tmpdir(), 'composelet-bench-proxy-'));
  const socketPath = join(directory, 'docker.sock');
  const agent = new Agent({ keepAlive: true });
  const hijacked = new Set<Socket>();
  let counts: RequestCounts = { total: 0, mutating: 0, byEndpoint: {} };

  const count = (incoming: IncomingMessage) => {
    const method = incoming.method ?? 'GET';
    const endpoint = `${method} ${endpointOf(incoming.url ?? '/')}`;
    counts.total += 1;
    if (method !== 'GET' && method !== 'HEAD') counts.mutating += 1;
    counts.byEndpoint[endpoint] = (counts.byEndpoint[endpoint] ?? 0) + 1;
  };

  const server = createServer((incoming, outgoing) => {
    count(incoming);
    const upstream = request(
      { socketPath: options.upstreamSocketPath, agent, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.statusMessage, response.headers);
        outgoing.flushHeaders();
        response.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`proxy: ${error.message}`);
    });
    incoming.pipe(upstream);
  });
  server.requestTimeout = 0;
  server.on('upgrade', (incoming: IncomingMessage, client: Socket, head: Buffer) => {
    count(incoming);
    const upstream = connect(options.upstreamSocketPath, () => {
      const headerLines: string[] = [];
      for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
        headerLines.push(`${incoming.rawHeaders[index]}: ${incoming.rawHeaders[index + 1]}`);
      }
      upstream.write(`${incoming.method} ${incoming.url} HTTP/${incoming.httpVersion}\r\n${headerLines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    hijacked.add(client);
    const end = () => {
      hijacked.delete(client);
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
    client.on('close', end);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });

  return {
    dockerHost: `unix://${socketPath}`,
    counts: () => ({ ...counts, byEndpoint: { ...counts.byEndpoint } }),
    reset() {
      counts = { total: 0, mutating: 0, byEndpoint: {} };
    },
    async close() {
      for (const socket of hijacked) socket.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
