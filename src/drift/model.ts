import type { SwarmDriftReport } from '../swarm/drift/swarm-drift.js';
// The drift report's data: what `composelet drift` prints as JSON (schemas/drift-report.v1.json
// documents it), what the Markdown renderer reads and what the controller turns into metrics. Every
// value in it is already redacted: no secret leaves composelet through a drift report.

/** Why a change is reported. */
export type DriftCategory =
  /** A desired container (or a network or volume a service uses) is not there. */
  | 'missing'
  /** A container that should run is stopped, exited unexpectedly, paused or never started. */
  | 'stopped'
  /** A field of the container differs from what the manifests ask for. */
  | 'configuration'
  /** Memory, cpus, pids or the restart policy differ: changed out of band (`docker update`). */
  | 'limits'
  /** Disconnected from a network of the service, connected to another, or other aliases. */
  | 'network'
  /** A container posing as a service: the project's compose labels without composelet's ownership, a
   * spec hash no desired service has, or a hand-made container under the service's container name. */
  | 'foreign'
  /** Made by docker compose for a desired service (its compose labels, not composelet's), not adopted. */
  | 'not-adopted'
  /** Owned by composelet but no longer desired (service removed, or a replica beyond the count). */
  | 'orphan'
  /** A container composelet does not own, attached to one of the project's networks. */
  | 'unowned'
  /** An anonymous volume composelet owns (or remembers) that no desired replica needs and no container
   * mounts: kept, removed by `apply --prune` or `run --prune`. */
  | 'dangling-volume';

export const DRIFT_CATEGORIES: readonly DriftCategory[] = [
  'missing',
  'stopped',
  'configuration',
  'limits',
  'network',
  'foreign',
  'not-adopted',
  'orphan',
  'unowned',
  'dangling-volume',
];

export type ServiceStatus = 'in-sync' | 'drifted' | 'missing' | 'stopped' | 'orphan' | 'foreign' | 'not-adopted';

export const SERVICE_STATUSES: readonly ServiceStatus[] = ['in-sync', 'drifted', 'missing', 'stopped', 'orphan', 'foreign', 'not-adopted'];

/**
 * One difference, as a JSON Patch operation from the desired side to the live side: `add` means live has
 * something the manifests do not ask for, `remove` that live lacks something they ask for, `replace`
 * that the value differs. `path` is a JSON Pointer into the comparable container shape (see
 * comparable.ts) or, for project-level changes, into `/networks/...` and `/volumes/...`.
 */
export interface DriftChange {
  category: DriftCategory;
  /** Name of the container the change is about; null for a missing container or a project resource. */
  container: string | null;
  path: string;
  op: 'add' | 'remove' | 'replace';
  /** The desired value at `path` (null when the manifests have none), redacted. */
  desired: unknown;
  /** The live value at `path` (null when the engine has none), redacted. */
  live: unknown;
  /** The change in words: "env LOG_LEVEL changed: info -> debug". */
  reason: string;
}

export interface ContainerBrief {
  name: string;
  /** 12 hex characters. */
  id: string;
  /** The engine's state: running, exited, paused, created, restarting, removing, dead. */
  state: string;
  /** Exit code when exited, else null. */
  exitCode: number | null;
  owned: boolean;
}

export interface ServiceDrift {
  name: string;
  status: ServiceStatus;
  /** Desired replica count; 0 for an orphan. */
  replicas: number;
  containers: ContainerBrief[];
  changes: DriftChange[];
}

export interface ProjectDrift {
  name: string;
  status: 'in-sync' | 'drifted';
  /** Desired services by name, then orphans (services no longer desired). */
  services: ServiceDrift[];
  /** Changes that belong to no service: missing networks and volumes, unowned containers on the
   * project's networks, dangling anonymous volumes. */
  changes: DriftChange[];
  /** Policy rules checked on the live containers (x-composelet.policy levels apply): audit findings, they
   * do not make a project drifted. */
  policy: LivePolicyFinding[];
  /** The project's backups: a failing or never-made backup is reported here (it does not make the project
   * drifted). */
  backups: BackupHealth[];
  /** Operators' suspensions in force (`composelet suspend`): what they hold is left as it is, on purpose. */
  suspensions?: SuspensionNote[];
  /** Services whose desired spec failed its rollout: the previous spec runs on purpose, and the failed one is
   * not retried until it changes (or `apply --retry-failed`). Absent when there are none. */
  failedRollouts?: FailedRolloutNote[];
}

export interface FailedRolloutNote {
  service: string;
  /** The desired spec hash, which failed. */
  specHash: string;
  /** The spec hash that runs instead. */
  previousSpecHash: string | null;
  /** ISO 8601: when it failed. */
  at: string;
  /** The evidence, redacted: "rolled back api: new container unhealthy after 12 s: ...". */
  reason: string;
  /** "running the previous spec, the desired one failed: <reason>" */
  message: string;
}

export interface SuspensionNote {
  /** null: the whole project. */
  service: string | null;
  by: string;
  /** ISO 8601; null: until resumed. */
  until: string | null;
  reason: string;
  /** "suspended by X until T: reason" */
  message: string;
}

export interface BackupHealth {
  name: string;
  service: string;
  lastSuccessAt: string | null;
  failuresSinceSuccess: number;
  lastError: string | null;
  nextRunAt: string | null;
}

export interface LivePolicyFinding {
  ruleId: string;
  level: 'error' | 'warning';
  service: string | null;
  container: string | null;
  path: string;
  message: string;
  fix: string;
}

export interface ManifestSource {
  /** Absolute path of what was given on the command line. */
  path: string;
  /** Null when the manifests are not in a git checkout (or git is not installed). */
  git: { commit: string; dirty: boolean } | null;
}

export interface DriftSummary {
  projects: number;
  projectsDrifted: number;
  services: number;
  byStatus: Record<ServiceStatus, number>;
  changes: number;
  byCategory: Record<DriftCategory, number>;
}

export interface DriftReport {
  schemaVersion: '1';
  /** ISO 8601, UTC. */
  generatedAt: string;
  /** Host name of the machine composelet ran on. */
  host: string;
  engine: { version: string; apiVersion: string };
  composelet: { version: string };
  manifest: ManifestSource;
  /** True when no project drifted. */
  inSync: boolean;
  summary: DriftSummary;
  projects: ProjectDrift[];
  /** The projects that target Swarm, when the manifest mixes them with one-engine projects (`inSync`
   * above covers both). Absent otherwise. */
  swarm?: SwarmDriftReport;
}
