import type { PlanSummary } from '../../controller/plan-summary.js';
import type { AuditEntry } from '../../audit/audit-entry.js';
import type { BackupStatus } from '../../backup/backup-status.js';
import type { ProjectStatus } from '../../controller/project-status.js';
import type { ProjectDrift } from '../../drift/model.js';
import type { GitStatus } from '../../git/git-status.js';
import type { LiveState } from '../../graph/live-states.js';
import type { GraphLayout } from '../graph/layout.js';

// What the status page shows, as data: built from the controller's own models (its /status, the live
// containers from one list call per project, the last drift report, backups, the audit log's tail) and
// rendered to HTML by render/. Every string in it went through the same redaction as /status and drift
// (scrub.ts): it is also served as /page.json.

export interface PageService {
  name: string;
  /** The worst state among its replicas (graph/live-states.ts). */
  state: LiveState;
  /** "running, healthy", "exited (137)", "2/3 running; missing". */
  detail: string;
  /** healthy, unhealthy, starting, or "-" without a healthcheck. */
  health: string;
  replicas: number;
  image: string;
  /** "127.0.0.1:18080->8080/tcp". */
  ports: string[];
  /** "mem 128 MiB, cpus 0.5, pids 100"; "-" when none. */
  limits: string;
  /** Restarts made by healing in the current crash-loop streak; null before the first reconcile. */
  restarts: number | null;
  /** "crash-looping, 20s", "10s", or "-". */
  backoff: string;
  /** "suspended by X until T: reason", or null. */
  suspended: string | null;
  /** The failed rollout's evidence when the previous spec runs, or null. */
  rolledBack: string | null;
}

export interface PageProject {
  key: string;
  name: string;
  manifest: { valid: boolean; issues: string[] };
  lastReconcile: ProjectStatus['lastReconcile'];
  /** The last plan that changed something, step by step (null: none since the controller started). */
  lastPlan: PlanSummary | null;
  commit: string | null;
  adoption: string | null;
  services: PageService[];
  graph: GraphLayout;
}

export interface PageSnapshot {
  /** ISO 8601. */
  generatedAt: string;
  engineConnected: boolean;
  readOnly: boolean;
  projects: PageProject[];
  /** The controller's last drift pass; null before the first. */
  drift: { generatedAt: string; projects: ProjectDrift[] } | null;
  backups: BackupStatus[];
  /** Newest first, at most AUDIT_ENTRIES. */
  audit: AuditEntry[];
  git: GitStatus | null;
}

export const AUDIT_ENTRIES = 200;
