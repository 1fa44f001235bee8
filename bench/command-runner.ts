import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';

// Runs a command the way a user does (a new process each time) and says how long it took, from spawn to
// exit. Aborting the signal kills the child, so an interrupted benchmark leaves no command running.

export interface CommandResult {
  durationMs: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
}

export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
    cause: unknown,
  ) {
    super(`${command} failed: ${output.trim().split('\n').slice(-6).join(' | ') || String(cause)}`, { cause });
  }
}

export function runCommand(file: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const startedAt = performance.now();
  const command = [file, ...args].join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        const durationMs = performance.now() - startedAt;
        if (error) {
          const timedOut = (error as { killed?: boolean }).killed === true && !options.signal?.aborted;
          const reason = timedOut ? `timed out after ${Math.round(options.timeoutMs / 1000)} s` : `${stdout}\n${stderr}`;
          reject(new CommandFailedError(command, reason, error));
          return;
        }
        resolve({ durationMs, stdout, stderr });
      },
    );
  });
}
