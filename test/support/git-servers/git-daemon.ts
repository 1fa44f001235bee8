import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitForPort } from './free-port.js';

// `git daemon` on 127.0.0.1 serving every repository under a base path over git://. stop() ends it;
// start() brings it back on the same port (the "server went away" scenario).

export interface GitDaemon {
  url(repository: string): string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGitDaemon(baseDirectory: string): Promise<GitDaemon> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const daemon: GitDaemon = {
    port,
    url: (repository) => `git://127.0.0.1:${port}/${repository}`,
    async start() {
      if (child) return;
      child = spawn('git', ['daemon', '--export-all', '--reuseaddr', `--base-path=${baseDirectory}`, '--listen=127.0.0.1', `--port=${port}`, baseDirectory], {
        stdio: 'ignore',
      });
      await waitForPort(port);
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
  await daemon.start();
  return daemon;
}
