import type { DriftSummary, LivePolicyFinding, ManifestSource, ServiceStatus, SuspensionNote } from '../drift/model.js';

// The daily report (`composelet report`): one document for the morning check and the end-of-day summary.
// Its JSON follows schemas/daily-report.v1.json; a field is added only with a new schema version.

export const DAILY_REPORT_SCHEMA_VERSION = '1';

export interface ReportPeriod {
  /** ISO 8601, UTC. */
  since: string;
  until: string;
}

export interface ServiceDay {
  project: string;
  service: string;
  /** Now: the drift status (in-sync, drifted, missing, stopped, ...). */
  status: ServiceStatus;
  /** Now: the containers' engine states, e.g. "running" or "1 running, 1 exited". */
  state: string;
  /** Now: healthy, unhealthy, starting, or none (no health check). */
  health: string;
  /** Heals by the controller within the period: a stopped, dead or missing container started or made again. */
  heals: number;
  /** In-place restarts of an unhealthy container by the controller within the period. */
  restarts: number;
  /** Runs of 3 or more heals, each within 10 minutes of the one before (see summarize-services.ts). */
  crashLoops: number;
  /** At least this long down within the period (see downtime.ts for how it is estimated). */
  downMs: number;
  /** Down now (not running although it should be). */
  downNow: boolean;
}

export interface BackupDay {
  project: string;
  definition: string;
  service: string;
  /** Runs that succeeded within the period. */
  made: number;
  /** Of those, verified ok. */
  verified: number;
  /** Runs that failed within the period. */
  failed: number;
  /** Scheduled runs that should have happened within the period and did not (0 or 1: "at least one"). */
  missed: number;
  /** Bytes of the artifacts made within the period. */
  sizeBytes: number;
  lastError: string | null;
}

export interface ActivityCount {
  key: string;
  count: number;
}

export interface ControllerActivity {
  entries: number;
  failed: number;
  byAction: ActivityCount[];
  byActor: ActivityCount[];
  byResult: ActivityCount[];
}

export interface CommitDay {
  commit: string;
  project: string;
  /** deployed: changes applied from it; quarantined: refused (quarantine-commit). */
  outcome: 'deployed' | 'quarantined';
  firstSeenAt: string;
}

export interface RollbackDay {
  time: string;
  project: string;
  service: string;
  /** rolled-back: a rollout failed and the old container serves again; rollback-failed: that failed too;
   * rolled-back-by-operator: `composelet rollback`. */
  outcome: 'rolled-back' | 'rollback-failed' | 'rolled-back-by-operator';
  /** The actor (controller, apply) or, for an operator's rollback, `user@host`. */
  by: string;
  /** The evidence ("new container unhealthy after 4.5 s: ..."), redacted as the audit log is. */
  reason: string;
  /** The manifest commit in force, when delivered from git. */
  commit: string | null;
}

export interface ProjectFindings {
  project: string;
  driftStatus: 'in-sync' | 'drifted';
  changes: number;
  policy: LivePolicyFinding[];
  suspensions: SuspensionNote[];
}

export interface DailyReport {
  schemaVersion: '1';
  generatedAt: string;
  host: string;
  period: ReportPeriod;
  manifest: ManifestSource;
  composelet: { version: string };
  services: ServiceDay[];
  backups: BackupDay[];
  drift: DriftSummary;
  projects: ProjectFindings[];
  activity: ControllerActivity;
  /** Suspensions made or in force within the period, from the audit log (suspend/resume entries). */
  suspensionEvents: Array<{ time: string; project: string; service: string | null; action: string; user: string; cause: string }>;
  commits: CommitDay[];
  /** Rollouts rolled back (or whose rollback failed) and operators' rollbacks within the period. */
  rollbacks: RollbackDay[];
  /** Lines of the audit log that could not be read (torn), and whether there was a log at all. */
  audit: { path: string; found: boolean; skippedLines: number };
}
