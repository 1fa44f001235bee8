import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// Smart HTTP: Debian's `git http-backend` (a CGI program) behind a small Node server that demands basic
// auth whose password is the token (as GitHub, GitLab and Gitea accept a token). Records every
// Authorization it refused, so a test can tell "no credentials sent" from "wrong ones".

export interface GitHttpServer {
  url(repository: string): string;
  port: number;
  refusals: number;
  stop(): Promise<void>;
}

export async function startGitHttpServer(options: { baseDirectory: string; token: string; port?: number }): Promise<GitHttpServer> {
  let refusals = 0;
  const server: Server = createServer((request, response) => {
    const authorization = request.headers.authorization ?? '';
    const password = authorization.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':').slice(1).join(':') : null;
    if (password !== options.token) {
      refusals += 1;
      response.writeHead(401, { 'www-authenticate': 'Basic realm="git"' });
      response.end('authentication required\n');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://git.invalid');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env['PATH'],
        GIT_PROJECT_ROOT: options.baseDirectory,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        REMOTE_USER: 'test',
        REMOTE_ADDR: '127.0.0.1',
        ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(request.headers['content-encoding']) } : {}),
        ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    request.pipe(cgi.stdin);
    let buffered = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        response.write(chunk);
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of buffered.subarray(0, end).toString('utf8').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      response.write(buffered.subarray(end + 4));
    });
    cgi.stdout.on('end', () => response.end());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (repository) => `http://127.0.0.1:${port}/${repository}`,
    port,
    get refusals() {
      return refusals;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
