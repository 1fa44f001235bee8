import { auditEntriesOf, type AuditActor } from '../audit/audit-entry.js';
import { openAuditLog } from '../audit/audit-log.js';
import { defaultAuditLogPath } from '../audit/audit-path.js';
import { specHashesFromPlan } from '../audit/spec-hashes.js';
import { createRedactor } from '../redaction/redact.js';
import type { PlannedProject } from '../reconciler/converge.js';
import type { ExecutionReport } from '../reconciler/execute.js';
import type { CliIo } from './command.js';

// Every mutating action apply or down takes goes to the audit log, one line each, on disk before the
// command reports success. The log is opened on first use, so a no-op run writes nothing.

export interface AuditRecorder {
  record(planned: PlannedProject, report: ExecutionReport, manifestCommit: string | null): Promise<void>;
  close(): Promise<void>;
}

export function createAuditRecorder(io: CliIo, actor: AuditActor): AuditRecorder {
  let log: ReturnType<typeof openAuditLog> | null = null;
  const redactor = createRedactor(io.env.COMPOSELET_REDACTION_KEY ? { key: io.env.COMPOSELET_REDACTION_KEY } : {});
  return {
    async record(planned, report, manifestCommit) {
      log ??= openAuditLog({ path: defaultAuditLogPath(io.env) });
      const entries = auditEntriesOf(planned.plan, report, {
        actor,
        manifestCommit,
        specHashes: specHashesFromPlan(planned.plan, planned.observed.containers),
        redactor,
      });
      if (entries.length > 0) await (await log).append(entries);
    },
    async close() {
      if (log) await (await log).close();
    },
  };
}
