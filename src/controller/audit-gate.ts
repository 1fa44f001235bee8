import type { Logger } from 'pino';
import { auditEntriesOf, type AuditEntry } from '../audit/audit-entry.js';
import { intentEntry, probeAuditLog, unwritable, type AuditLogUnwritableError } from '../audit/audit-guard.js';
import { openAuditLog, type AuditLog } from '../audit/audit-log.js';
import { manifestCommitOf } from '../audit/manifest-commit.js';
import { specHashesFromPlan } from '../audit/spec-hashes.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import type { Redactor } from '../redaction/redact.js';
import type { PlannedProject } from '../reconciler/converge.js';
import type { ExecutionReport } from '../reconciler/execute/execute.js';

// The controller fails closed on its audit log. A plan runs only once its intent line is on disk; when
// that (or any audit write) fails, the controller turns read-only: every reconcile still observes, plans
// and reports, but executes nothing, and scheduled backups wait; /status, the metric
// `composelet_audit_log_writable` and the logs say why. While read-only, the log is probed every few
// seconds (without adding a line); once it can be written again the gate opens, says so, and asks for
// every project to be looked at again.

export const DEFAULT_AUDIT_PROBE_INTERVAL_MS = 2_000;

export interface AuditLogStatus {
  path: string | null;
  writable: boolean;
  /** Why not (`audit log PATH cannot be written: no space left on device (ENOSPC)`); null while writable. */
  error: string | null;
  /** Epoch ms since when it is not writable; null while writable. */
  since: number | null;
}

export interface AuditGate {
  /** Whether mutating actions may run now. */
  writable(): boolean;
  /** Before a plan runs: its intent line on disk (true), or false, read-only, and the plan must not run. */
  beforeExecuting(planned: PlannedProject): Promise<boolean>;
  /** After a plan ran: one line per mutating operation. */
  afterExecuting(planned: PlannedProject, report: ExecutionReport): Promise<void>;
  /** Entries of actions that are not plans (backups). */
  append(entries: AuditEntry[]): Promise<void>;
  /** Entries of changes that are not one-host plans (a Swarm deploy's intent and outcomes): true once on
   * disk; false: read-only, and the change must not run. */
  appendChecked(entries: AuditEntry[]): Promise<boolean>;
  status(): AuditLogStatus;
  close(): Promise<void>;
}

export interface AuditGateOptions {
  /** null: no audit log (tests that do not look); the gate is always open. */
  path: string | null;
  logger: Logger;
  metrics: ControllerMetrics;
  redactor: Redactor;
  /** Called when the log is writable again after a failure (the controller requeues every project). */
  onRecovered: () => void;
  probeIntervalMs?: number;
  now?: () => number;
}

export function createAuditGate(options: AuditGateOptions): AuditGate {
  const { path, logger, metrics } = options;
  const now = options.now ?? Date.now;
  let log: Promise<AuditLog> | null = null;
  let failure: { error: AuditLogUnwritableError; since: number } | null = null;
  let probing: ReturnType<typeof setInterval> | null = null;
  let closed = false;

  const open = () => {
    failure = null;
    metrics.setAuditLogWritable(true);
    if (probing) clearInterval(probing);
    probing = null;
  };
  const fail = (cause: unknown) => {
    const error = unwritable(path ?? '', cause);
    if (failure === null) {
      failure = { error, since: now() };
      logger.error({ auditLog: path, code: error.code }, `${error.message}: read-only until it can be written again (nothing is changed, status and metrics are still served)`);
    } else {
      failure.error = error;
    }
    metrics.setAuditLogWritable(false);
    probing ??= setInterval(() => void probe(), options.probeIntervalMs ?? DEFAULT_AUDIT_PROBE_INTERVAL_MS);
    probing.unref?.();
  };
  let probeRunning = false;
  const probe = async () => {
    if (path === null || failure === null || closed || probeRunning) return;
    probeRunning = true;
    try {
      await probeAuditLog(path);
    } catch (error) {
      if (failure !== null) failure.error = unwritable(path, error);
      return;
    } finally {
      probeRunning = false;
    }
    if (failure === null || closed) return; // a plan's intent line got through meanwhile
    logger.info({ auditLog: path }, 'audit log writable again: acting again');
    open();
    options.onRecovered();
  };
  const write = async (entries: AuditEntry[]): Promise<boolean> => {
    if (path === null) return true;
    if (entries.length === 0) return true;
    try {
      log ??= openAuditLog({ path });
      await (await log).append(entries);
      return true;
    } catch (error) {
      // openAuditLog rejected, or the append did: start from a fresh open next time.
      log = null;
      fail(error);
      return false;
    }
  };

  return {
    writable: () => failure === null,
    async beforeExecuting(planned) {
      if (path === null) return true;
      const manifestCommit = await manifestCommitOf(planned.project.workingDir);
      const written = await write([intentEntry(planned.plan, { actor: 'controller', manifestCommit, redactor: options.redactor })]);
      if (written && failure !== null) {
        logger.info({ auditLog: path }, 'audit log writable again: acting again');
        open();
      }
      return written;
    },
    async afterExecuting(planned, report) {
      if (path === null) return;
      const entries = auditEntriesOf(planned.plan, report, {
        actor: 'controller',
        manifestCommit: await manifestCommitOf(planned.project.workingDir),
        specHashes: specHashesFromPlan(planned.plan, planned.observed.containers),
        services: planned.project.services,
        redactor: options.redactor,
      });
      await write(entries);
    },
    async append(entries) {
      await write(entries);
    },
    async appendChecked(entries) {
      const written = await write(entries);
      if (written && failure !== null && path !== null) {
        logger.info({ auditLog: path }, 'audit log writable again: acting again');
        open();
      }
      return written;
    },
    status: () => ({ path, writable: failure === null, error: failure?.error.message ?? null, since: failure?.since ?? null }),
    async close() {
      closed = true;
      if (probing) clearInterval(probing);
      probing = null;
      if (log) await (await log).close().catch(() => undefined);
    },
  };
}
