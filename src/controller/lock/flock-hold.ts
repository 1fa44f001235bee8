import { spawn } from 'node:child_process';

// An exclusive flock(2) on a file, held by a flock(1) child (util-linux, or busybox) for as long as this
// process lives. Node has no flock of its own. The child runs `cat` on a pipe from this process: when this
// process dies, however it dies (SIGKILL included), the kernel closes the pipe, cat reads end of file, the
// child exits and the kernel releases the lock. It runs in its own process group, so a Ctrl-C meant for
// the controller does not drop the lock before the controller has finished stopping.

export interface FlockHold {
  /** Resolves when the lock is no longer held: after release(), or when the child died under us. */
  readonly ended: Promise<{ released: boolean }>;
  release(): Promise<void>;
}

const LOCKED = 'locked';

/** Takes the lock if it is free; null when another process holds it. */
export async function tryFlock(path: string, options: { command?: string } = {}): Promise<FlockHold | null> {
  const child = spawn(options.command ?? 'flock', ['-x', '-n', path, 'sh', '-c', `echo ${LOCKED}; exec cat`], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnFailed = new Promise<never>((_resolve, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(`the controller lock needs flock(1) (util-linux) on PATH: ${error.message}`, { cause: error })
          : error,
      );
    }),
  );
  const locked = new Promise<true>((resolve) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.startsWith(LOCKED)) resolve(true);
    });
  });
  const outcome = await Promise.race([locked, exited.then((code) => ({ code })), spawnFailed]);
  if (outcome !== true) {
    // util-linux and busybox both exit 1, silently, when -n finds the lock taken
    if (outcome.code === 1 && stderr.trim() === '') return null;
    throw new Error(`could not take the lock on ${path}: flock exited ${outcome.code}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
  }
  let releasing = false;
  const ended = exited.then(() => ({ released: releasing }));
  return {
    ended,
    async release() {
      releasing = true;
      child.stdin.end();
      await ended;
    },
  };
}
