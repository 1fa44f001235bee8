import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { CommandResult, ExecOptions } from '../../backup/backup-engine.js';
import { serviceName } from '../model/swarm-names.js';
import { decodeJobOutput, hasEndMarker } from './job-output.js';
import { backupJobSpec } from './job-spec.js';
import type { TaskLocation } from './running-task.js';
import type { SwarmBackupPort } from './swarm-backup-port.js';

// A command "exec'd" into a task composelet cannot reach: run as a one-off job on the cluster (job-spec.ts),
// wait for it to complete, read its dump back from the manager's logs API, check it, hand it on; the job is
// removed in every case, so no helper service is left behind (a killed run's is swept, helper-sweep.ts).

const TERMINAL_STATES = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);
const POLL_MS = 250;
const STDERR_TAIL_BYTES = 64 * 1024;

export interface JobExecInput extends Pick<ExecOptions, 'command' | 'user' | 'stdout' | 'signal'> {
  projectName: string;
  service: string;
  task: TaskLocation;
  owner: string;
}

export async function execInJob(port: SwarmBackupPort, input: JobExecInput): Promise<CommandResult> {
  const database = await port.service(serviceName(input.projectName, input.service));
  if (!database) throw new Error(`service "${input.service}" is not on the Swarm`);
  const spec = backupJobSpec({
    projectName: input.projectName,
    service: input.service,
    databaseSpec: database.Spec,
    task: input.task,
    command: input.command,
    user: input.user ?? null,
    owner: input.owner,
    suffix: randomBytes(4).toString('hex'),
  });
  const jobId = await port.createService(spec);
  try {
    const outcome = await waitForJob(port, jobId, input.signal);
    const logs = outcome.state === 'complete' ? await completeLogs(port, jobId, input.signal) : await port.serviceLogs(jobId).catch(() => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }));
    const stderr = logs.stderr.subarray(Math.max(0, logs.stderr.length - STDERR_TAIL_BYTES)).toString('utf8');
    if (outcome.state !== 'complete') {
      throw new Error(`the backup job ${spec.Name} ended ${outcome.state}${outcome.error ? `: ${outcome.error}` : ''}${stderr.trim() ? ` (${stderr.trim().split('\n').slice(-3).join(' | ')})` : ''}`);
    }
    const decoded = decodeJobOutput(logs.stdout.toString('latin1'));
    if (input.stdout) {
      await pipeline(Readable.from([decoded.content]), input.stdout);
      return { exitCode: decoded.exitCode, stdout: '', stderr };
    }
    return { exitCode: decoded.exitCode, stdout: decoded.content.subarray(Math.max(0, decoded.content.length - STDERR_TAIL_BYTES)).toString('utf8'), stderr };
  } finally {
    await port.removeService(jobId).catch(() => undefined);
  }
}

async function waitForJob(port: SwarmBackupPort, jobId: string, signal: AbortSignal | undefined): Promise<{ state: string; error: string | null }> {
  for (;;) {
    signal?.throwIfAborted();
    const tasks = await port.tasks(jobId);
    const done = tasks.find((task) => TERMINAL_STATES.has(task.Status?.State ?? ''));
    if (done) return { state: done.Status!.State!, error: done.Status?.Err ?? null };
    await delay(POLL_MS, undefined, signal ? { signal } : {});
  }
}

/** The manager fetches a finished task's logs from its node: retried briefly until the end marker is in. */
async function completeLogs(port: SwarmBackupPort, jobId: string, signal: AbortSignal | undefined): Promise<{ stdout: Buffer; stderr: Buffer }> {
  let logs = await port.serviceLogs(jobId);
  for (let attempt = 0; attempt < 20 && !hasEndMarker(logs.stdout.toString('latin1')); attempt += 1) {
    await delay(POLL_MS, undefined, signal ? { signal } : {});
    logs = await port.serviceLogs(jobId);
  }
  return logs;
}
