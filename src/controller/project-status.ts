import type { FailedRollout } from '../state/failed-rollouts.js';
import type { AdoptionStatus } from './adoption-status.js';
import type { PlanSummary } from './plan-summary.js';
import type { SwarmProjectStatus } from '../swarm/controller/swarm-status.js';

// What the controller knows about each project, served at /status and shown by `composelet status`.

export interface ProjectStatus {
  key: string;
  projectName: string | null;
  manifest: { valid: boolean; issues: string[] };
  lastReconcile: {
    /** Epoch ms. */
    at: number;
    /** not_adopted: docker compose runs it and nothing was changed (see `adoption`); read_only: a plan was
     * made but not run (the audit log cannot be written). */
    result: 'success' | 'error' | 'invalid_manifest' | 'not_adopted' | 'read_only';
    durationMs: number;
    operations: number;
    failed: number;
  } | null;
  /** The last plan that changed something (a reconcile with operations): each step's kind, resource, cause
   * and result. Null or absent: none yet since the controller started. */
  lastPlan?: PlanSummary | null;
  /** Restarts made by healing in the current crash-loop streak, the backoff, the operator's suspension
   * ("suspended by X until T: reason"; null or absent: none), and `rolledBack`: the desired spec failed its
   * rollout and the previous one runs (its evidence in `reason`; null or absent: not so). */
  services: Record<string, { restarts: number; crashLooping: boolean; backoffSeconds: number; suspended?: string | null; rolledBack?: FailedRollout | null }>;
  /** Containers docker compose made for desired services, at the last reconcile: not adopted (nothing is
   * changed; `hint` says how to adopt) or being adopted; null when there are none. */
  adoption: AdoptionStatus | null;
  /** `run --git`: the commit the desired state in force was loaded from. */
  commit?: string | null;
  /** `run --git`: a newer commit not applied to this project while a project-level suspension holds it,
   * "commit def4567 not applied: suspended by X until T: reason"; null or absent: nothing held. */
  gitHeld?: string | null;
  /** This controller runs in one of the project's containers: never recreated, stopped or removed by it;
   * `skipped` lists the operations the last reconcile left out for that. Absent or null otherwise. */
  selfContainer?: { container: string; service: string | null; skipped: string[] } | null;
  /** A project that targets Swarm: per service replicas desired/running, tasks per node, the last outcome;
   * the nodes. Absent for a one-host project. */
  swarm?: SwarmProjectStatus | null;
}

export function emptyStatus(key: string): ProjectStatus {
  return { key, projectName: null, manifest: { valid: true, issues: [] }, lastReconcile: null, services: {}, adoption: null };
}
