import { constants } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Redactor } from '../redaction/redact.js';
import { isMutating, type Plan } from '../reconciler/plan/plan.js';
import { buildAuditEntry, type AuditActor, type AuditEntry } from './audit-entry.js';

// Fail closed: no action is taken that is not audited. Before a plan runs, its intent (one line naming
// every mutating operation) is appended and fsynced; when that cannot be done, the plan does not run.
// The outcome lines follow the run as before, so a log that fills up between the two still says what
// was about to happen. A probe (open the log for appending, write and fsync a page beside it) tells,
// without adding a line, whether the log can be written now: before apply's pre-recreate backups, and
// while the controller waits, read-only, for the log to come back.

export const INTENT_ACTION = 'intent';
/** Operations named in an intent line; the rest are counted. */
const INTENT_OPERATIONS_SHOWN = 30;

/** The audit log cannot be written: nothing may be changed. */
export class AuditLogUnwritableError extends Error {
  readonly kind = 'audit-log-unwritable';
  constructor(
    readonly path: string,
    readonly code: string | null,
    readonly reason: string,
  ) {
    super(`audit log ${path} cannot be written: ${reason}`);
    this.name = 'AuditLogUnwritableError';
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent is not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'a file stands where a directory of its path should be',
};

/** The cause in words with its errno code (`no space left on device (ENOSPC)`). */
export function describeWriteFailure(error: unknown): { code: string | null; reason: string } {
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : null;
  if (code !== null) return { code, reason: `${REASONS[code] ?? (error as Error).message} (${code})` };
  return { code: null, reason: error instanceof Error ? error.message : String(error) };
}

export function unwritable(path: string, error: unknown): AuditLogUnwritableError {
  if (error instanceof AuditLogUnwritableError) return error;
  const { code, reason } = describeWriteFailure(error);
  return new AuditLogUnwritableError(path, code, reason);
}

/** The line appended before a plan runs: every mutating operation it is about to take, by resource. */
export function intentEntry(
  plan: Plan,
  context: { actor: AuditActor; manifestCommit: string | null; redactor?: Redactor; now?: () => Date },
): AuditEntry {
  return projectIntentEntry(plan.projectName, plan.operations.filter(isMutating), context);
}

/** The intent line of any actuator's plan (one host's, Swarm's): the first operations named, the rest
 * counted, so a large plan's line stays small. `noun` says what they are ("Swarm operation(s)"). */
export function projectIntentEntry(
  projectName: string,
  operations: ReadonlyArray<{ kind: string; resourceId: string }>,
  context: { actor: AuditActor; manifestCommit: string | null; redactor?: Redactor; now?: () => Date; user?: string },
  noun = 'operation(s)',
): AuditEntry {
  const shown = operations.slice(0, INTENT_OPERATIONS_SHOWN).map((operation) => `${operation.kind} ${operation.resourceId}`);
  const more = operations.length > shown.length ? `; and ${operations.length - shown.length} more` : '';
  return buildAuditEntry(
    {
      actor: context.actor,
      ...(context.user !== undefined ? { user: context.user } : {}),
      project: projectName,
      service: null,
      action: INTENT_ACTION,
      resource: `project:${projectName}`,
      cause: `about to run ${operations.length} ${noun}: ${shown.join('; ')}${more}`,
      specHashBefore: null,
      specHashAfter: null,
      result: 'intended',
      error: null,
      manifestCommit: context.manifestCommit,
      durationMs: 0,
    },
    { ...(context.redactor ? { redactor: context.redactor } : {}), ...(context.now ? { now: context.now } : {}) },
  );
}

const PROBE_BYTES = 4096;

/**
 * Throws AuditLogUnwritableError unless the log can be appended to now: its directory exists (or can be
 * made), the file opens for appending, and a page written and fsynced beside it fits on the device.
 */
export async function probeAuditLog(path: string): Promise<void> {
  const probe = join(dirname(path), `.${basename(path)}.probe-${process.pid}`);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o750 });
    // An existing log must open for appending; a missing one is not created here (a no-op run writes
    // nothing): the probe file below shows the directory takes new files.
    const log = await open(path, constants.O_WRONLY | constants.O_APPEND).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') return null;
      throw error;
    });
    await log?.close();
    const handle = await open(probe, 'w', 0o600);
    try {
      const { bytesWritten } = await handle.write(Buffer.alloc(PROBE_BYTES, 0x0a), 0, PROBE_BYTES, 0);
      if (bytesWritten !== PROBE_BYTES) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      await handle.datasync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unwritable(path, error);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
