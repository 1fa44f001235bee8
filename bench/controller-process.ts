import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

// `composelet run ROOT` as a child process, the way an operator runs the controller: its metrics address
// is read from its "controller started" log line (it listens on port 0), readiness from /readyz. Its
// stderr is kept in memory (a log file in the watched directory would wake it on every line).

export interface ControllerProcess {
  pid: number;
  metricsAddress: string;
  /** The last lines it logged, for error messages. */
  recentLog(): string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash or the OOM killer ends it; resolves once it has exited. */
  kill(): Promise<void>;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
}

export async function startControllerProcess(options: {
  cliPath: string;
  root: string;
  resync: string;
  readyTimeoutMs: number;
  signal: AbortSignal;
  /** Added to the environment (the chaos suite's audit log and crash point). */
  env?: Record<string, string>;
}): Promise<ControllerProcess> {
  const child = spawn(process.execPath, [options.cliPath, 'run', options.root, '--metrics-address', '127.0.0.1:0', '--resync', options.resync], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  const lines: string[] = [];
  let metricsAddress: string | null = null;
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      if (metricsAddress === null && line.includes('controller started')) {
        const parsed = JSON.parse(line) as { metrics?: string };
        metricsAddress = parsed.metrics ?? null;
      }
    }
  });
  let exited = false;
  const exitStatus = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => ((exited = true), resolve({ code, signal }))),
  );
  const exit = exitStatus.then(() => undefined);
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([exit.then(() => true), delay(10_000).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exit;
    }
  };
  const onAbort = () => void stop();
  options.signal.addEventListener('abort', onAbort, { once: true });
  void exit.then(() => options.signal.removeEventListener('abort', onAbort));
  const recentLog = () => lines.slice(-8).join('\n');

  try {
    const deadline = Date.now() + options.readyTimeoutMs;
    for (;;) {
      options.signal.throwIfAborted();
      if (exited) throw new Error(`composelet run exited before it was ready:\n${recentLog()}`);
      if (metricsAddress !== null && (await httpStatus(`http://${metricsAddress}/readyz`)) === 200) break;
      if (Date.now() > deadline) throw new Error(`composelet run was not ready after ${options.readyTimeoutMs / 1000} s:\n${recentLog()}`);
      await delay(100);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error('composelet run has no pid');
  const kill = async () => {
    if (exited) return;
    child.kill('SIGKILL');
    await exit;
  };
  return { pid: child.pid, metricsAddress: metricsAddress!, recentLog, stop, kill, exited: exitStatus, isRunning: () => !exited };
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.setTimeout(2_000, () => request.destroy());
    request.on('error', () => resolve(0));
  });
}
