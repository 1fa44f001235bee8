import { Writable, type Duplex, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import type { CommandResult, ExecOptions, ThrowawayOptions } from './backup-engine.js';
import { engineCallError } from './engine-archive.js';
import { StreamDemux, TailBuffer } from './stream-demux.js';

// Running commands with their streams: `exec` in a running container and a throwaway container attached
// before it starts. Both hijack the connection (stdin goes up it, multiplexed stdout and stderr come
// down) and pipe stdout through a pipeline, so a multi-GB dump flows at the pace of its consumer.

export async function execInContainer(docker: Dockerode, containerId: string, options: ExecOptions): Promise<CommandResult> {
  const container = docker.getContainer(containerId);
  let exec: Dockerode.Exec;
  let socket: Duplex;
  try {
    exec = await container.exec({
      Cmd: options.command,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: Boolean(options.stdin),
      Tty: false,
      ...(options.user ? { User: options.user } : {}),
    });
    socket = (await exec.start({ hijack: true, stdin: Boolean(options.stdin) })) as unknown as Duplex;
  } catch (error) {
    throw engineCallError(`run ${options.command[0] ?? 'a command'} in container ${containerId.slice(0, 12)}`, error);
  }
  const output = await pumpStreams(socket, options);
  return { ...output, exitCode: await exitCodeOf(exec) };
}

/** The exec's exit code; the engine may report it a moment after the output ends. */
async function exitCodeOf(exec: Dockerode.Exec): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    const info = await exec.inspect();
    if (!info.Running) return info.ExitCode ?? -1;
    if (attempt > 500) throw new Error('the engine still reports the command running after its output ended');
    await delay(attempt < 10 ? 5 : 20);
  }
}

export async function runThrowawayContainer(docker: Dockerode, options: ThrowawayOptions): Promise<CommandResult> {
  const withStdin = Boolean(options.stdin);
  const container = await docker
    .createContainer({
      Image: options.image,
      Entrypoint: options.entrypoint,
      Cmd: options.command,
      Labels: options.labels,
      AttachStdin: withStdin,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: withStdin,
      StdinOnce: withStdin,
      Tty: false,
      ...(options.user ? { User: options.user } : {}),
      HostConfig: { NetworkMode: 'none', Binds: options.binds ?? [] },
    })
    .catch((error: unknown) => {
      throw engineCallError(`create a throwaway container of ${options.image}`, error);
    });
  try {
    const socket = (await container.attach({ stream: true, stdin: withStdin, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
    const output = pumpStreams(socket, options);
    // Started after attaching, so no output is lost; a start failure must not leave the attach waiting.
    await container.start().catch((error: unknown) => {
      socket.destroy();
      throw engineCallError(`start a throwaway container of ${options.image}`, error);
    });
    const streams = await output;
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    return { ...streams, exitCode: StatusCode };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

async function pumpStreams(socket: Duplex, options: Pick<ExecOptions, 'stdin' | 'stdout' | 'signal'>): Promise<{ stdout: string; stderr: string }> {
  const stderr = new TailBuffer();
  const captured = new TailBuffer();
  const sink = options.stdout ?? new Writable({ write: (chunk: Buffer, _encoding, callback) => (captured.append(chunk), callback()) });
  const onAbort = () => socket.destroy(new Error('the command was cancelled'));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const input = options.stdin;
  const stdinDone = input ? feedStdin(input, socket) : Promise.resolve();
  stdinDone.catch(() => undefined); // awaited below; its failure also fails the output pipeline
  try {
    await pipeline(socket, new StreamDemux((chunk) => stderr.append(chunk)), sink);
    // A command may stop reading before the end of its input (pg_restore --list reads only the table of
    // contents): once its output ended, what it did not read is dropped, and its exit code decides.
    if (input && !input.readableEnded) input.destroy();
    else await stdinDone;
  } catch (error) {
    input?.destroy();
    socket.destroy();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return { stdout: captured.text(), stderr: stderr.text() };
}

/** Writes the input up the connection and half-closes it, which the engine passes on as end of stdin. */
function feedStdin(input: Readable, socket: Duplex): Promise<void> {
  return new Promise((resolve, reject) => {
    input.once('error', (error) => {
      socket.destroy(error);
      reject(error);
    });
    input.once('end', () => resolve());
    input.pipe(socket, { end: true });
  });
}
