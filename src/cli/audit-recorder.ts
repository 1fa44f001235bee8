import { auditEntriesOf, type AuditActor, type AuditEntry } from '../audit/audit-entry.js';
import { AuditLogUnwritableError, intentEntry, probeAuditLog, unwritable } from '../audit/audit-guard.js';
import { openAuditLog, type AuditLog } from '../audit/audit-log.js';
import { defaultAuditLogPath } from '../audit/audit-path.js';
import { specHashesFromPlan } from '../audit/spec-hashes.js';
import { createRedactor } from '../redaction/redact.js';
import type { PlannedProject } from '../reconciler/converge.js';
import type { ExecutionReport } from '../reconciler/execute/execute.js';
import { write, type CliIo } from './command.js';

// Every mutating action apply or down takes goes to the audit log, one line each, on disk before the
// command reports success; and nothing runs unless the log can be written (fail closed): `ensureWritable`
// before anything is touched, the plan's intent line before it runs. The log is opened on first use, so
// a no-op run writes nothing.

export interface AuditRecorder {
  /** Throws AuditLogUnwritableError unless the log can be written now (it writes no line). */
  ensureWritable(): Promise<void>;
  /** Before a plan runs: its intent line on disk, or AuditLogUnwritableError (the plan must not run). */
  intend(planned: PlannedProject, manifestCommit: string | null): Promise<void>;
  record(planned: PlannedProject, report: ExecutionReport, manifestCommit: string | null): Promise<void>;
  /** Entries of actions that are not plan operations (suspend, resume, gc, ...), or AuditLogUnwritableError. */
  append(entries: AuditEntry[]): Promise<void>;
  close(): Promise<void>;
}

export function createAuditRecorder(io: CliIo, actor: AuditActor): AuditRecorder {
  const path = defaultAuditLogPath(io.env);
  let log: Promise<AuditLog> | null = null;
  const redactor = createRedactor(io.env.COMPOSELET_REDACTION_KEY ? { key: io.env.COMPOSELET_REDACTION_KEY } : {});
  const append = async (entries: AuditEntry[]) => {
    try {
      log ??= openAuditLog({ path });
      await (await log).append(entries);
    } catch (error) {
      log = null;
      throw unwritable(path, error);
    }
  };
  return {
    ensureWritable: () => probeAuditLog(path),
    async intend(planned, manifestCommit) {
      await append([intentEntry(planned.plan, { actor, manifestCommit, redactor })]);
    },
    async record(planned, report, manifestCommit) {
      const entries = auditEntriesOf(planned.plan, report, {
        actor,
        manifestCommit,
        specHashes: specHashesFromPlan(planned.plan, planned.observed.containers),
        services: planned.project.services,
        redactor,
      });
      if (entries.length > 0) await append(entries);
    },
    append,
    async close() {
      if (log) await (await log).close().catch(() => undefined);
    },
  };
}

/**
 * apply's and down's report of an audit log that cannot be written: the log, the cause, and what that
 * means for the run. Returns the exit code, or rethrows any other error.
 */
export function reportAuditFailure(error: unknown, io: CliIo, command: string, context: { ran: boolean }): number {
  if (!(error instanceof AuditLogUnwritableError)) throw error;
  const consequence = context.ran
    ? 'the operations above ran, and their intent is in the log, but their outcome could not be recorded; nothing further was changed'
    : 'nothing further was changed (no action is taken that cannot be audited)';
  write(io.stderr, `composelet ${command}: ${error.message}; ${consequence}`);
  return 1;
}
