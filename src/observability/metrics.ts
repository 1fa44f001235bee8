import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineCall } from '../engine/counting-engine.js';
import { ACTION_KINDS, ACTION_RESULTS, type ActionKind, RECONCILE_RESULTS, ROLLOUT_RESULTS, type ActionResult, type ReconcileResult, type RolloutMetricResult } from './metric-label-values.js';

// The controller's metrics, on a registry this instance owns (no global registry). Typed helpers only:
// the reconcile wrapper, the queue and the engine listener decide what happened, this file counts it.
// Every labeled series starts at zero: `projectSeen` and `serviceSeen` create a project's and a service's
// series before their first event, and the helpers call them on first use anyway.

export interface ControllerMetricsOptions {
  /** Prepended to every composelet metric (not to the standard `process_*`/`nodejs_*` ones). */
  prefix?: string;
  /** Process RSS, CPU, heap, event loop lag (`collectDefaultMetrics`); default true. */
  defaultMetrics?: boolean;
  /** Milliseconds since the epoch; injected so tests control the last-success timestamp. */
  now?: () => number;
}

export interface ControllerMetrics {
  readonly registry: Registry;
  /** Creates every per-project series at zero (except `manifest_valid`, which 0 would misreport). */
  projectSeen(projectName: string): void;
  /** Creates every per-service series at zero. */
  serviceSeen(projectName: string, serviceName: string): void;
  /** Removes every series of a project that is gone (its services' series too). */
  forgetProject(projectName: string): void;
  forgetService(projectName: string, serviceName: string): void;
  /** One finished reconcile; `error` and `invalid_manifest` also count in `reconcile_errors_total`. */
  recordReconcile(projectName: string, result: ReconcileResult, durationSeconds: number): void;
  setQueueDepth(depth: number): void;
  setReconcilesInFlight(count: number): void;
  recordAction(kind: ActionKind, result: ActionResult): void;
  /** Feed from `CountingEngine.onCall`: counts the call, and the error when there is one. */
  recordEngineCall(call: Pick<EngineCall, 'method' | 'error'>): void;
  setEngineConnected(connected: boolean): void;
  /** 1 while the audit log can be written, 0 while the controller is read-only because it cannot. */
  setAuditLogWritable(writable: boolean): void;
  setDriftedServices(projectName: string, count: number): void;
  recordServiceRestart(projectName: string, serviceName: string): void;
  setServiceCrashLooping(projectName: string, serviceName: string, crashLooping: boolean): void;
  setServiceBackoff(projectName: string, serviceName: string, seconds: number): void;
  /** One finished rollout of a replica: succeeded, rolled back, rollback failed, or not started. */
  recordRollout(projectName: string, serviceName: string, result: RolloutMetricResult): void;
  /** 1 while an operator's suspension holds the service (`composelet suspend`), else 0. */
  setServiceSuspended(projectName: string, serviceName: string, suspended: boolean): void;
  /** 1 while docker compose runs the project and it is not adopted (nothing is changed), else 0. */
  setProjectNotAdopted(projectName: string, notAdopted: boolean): void;
  /** 1 when the last manifest edit loaded, 0 when it was invalid (the last good state is kept). */
  setManifestValid(projectName: string, valid: boolean): void;
  /** The last drift report of a project: services by status, changes by category (all set each time). */
  setDrift(projectName: string, drift: { byStatus: Record<string, number>; byCategory: Record<string, number> }): void;
  /** One finished backup run (a scheduled, manual or pre-recreate one). */
  recordBackup(projectName: string, backup: string, run: { ok: boolean; durationSeconds: number; sizeBytes: number | null; finishedAtSeconds: number }): void;
  /** When a backup runs next (0: no schedule). */
  setBackupNextRun(projectName: string, backup: string, epochSeconds: number): void;
  /** One notification (--notify) delivered, given up on after its retries, or dropped (queue full). */
  recordNotification(result: 'sent' | 'failed' | 'dropped'): void;
  /** The longest gap its schedule leaves between two runs: a last success older than that is late. */
  setBackupInterval(projectName: string, backup: string, seconds: number): void;
}

/** 1 ms to 60 s: a no-op reconcile takes milliseconds, one that pulls and waits for health takes tens of seconds. */
export const RECONCILE_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(options: ControllerMetricsOptions = {}): ControllerMetrics {
  const prefix = options.prefix ?? 'composelet_';
  const now = options.now ?? Date.now;
  const registry = new Registry();
  // The event loop lag histogram samples every 100 ms, not prom-client's 10 ms: at 10 ms it woke an idle
  // controller 100 times a second (two thirds of its idle CPU); a stall still shows in the p99.
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name: prefix + name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name: prefix + name, help, labelNames, registers });

  const reconcileTotal = counter('reconcile_total', 'Reconciles by project and result.', ['project', 'result']);
  const reconcileErrors = counter('reconcile_errors_total', 'Reconciles that ended in an error (engine or invalid manifest).', ['project']);
  const reconcileDuration = new Histogram({
    name: `${prefix}reconcile_duration_seconds`,
    help: 'Time one reconcile took, observe to execute.',
    labelNames: ['project'],
    buckets: RECONCILE_DURATION_BUCKETS,
    registers,
  });
  const queueDepth = gauge('queue_depth', 'Project keys waiting in the work queue.', []);
  const inFlight = gauge('reconciles_in_flight', 'Reconciles running now.', []);
  const actions = counter('actions_total', 'Plan operations executed, by operation kind and result.', ['kind', 'result']);
  const engineCalls = counter('engine_api_calls_total', 'Docker Engine API calls, by port method.', ['method']);
  const engineErrors = counter('engine_api_errors_total', 'Docker Engine API calls that failed, by port method.', ['method']);
  const engineConnected = gauge('engine_connected', '1 when the Docker engine answers, else 0.', []);
  const auditLogWritable = gauge('audit_log_writable', '1 when the audit log can be written; 0: read-only, nothing is changed.', []);
  auditLogWritable.set(1);
  const drifted = gauge('drifted_services', 'Services whose containers differ from the manifest.', ['project']);
  const restarts = counter('service_restarts_total', 'Containers composelet restarted, by service.', ['project', 'service']);
  const crashLooping = gauge('service_crash_looping', '1 while a service is crash looping, else 0.', ['project', 'service']);
  const backoff = gauge('service_backoff_seconds', 'Current restart backoff of a service (0: none).', ['project', 'service']);
  const suspended = gauge('suspended', '1 while an operator suspended the service (composelet suspend): not healed, recreated nor deployed.', ['project', 'service']);
  const rollouts = counter('rollouts_total', 'Rollouts of a replica (a recreate of a running container), by result: succeeded, rolled_back, rollback_failed, not_started.', ['project', 'service', 'result']);
  const notAdopted = gauge('project_not_adopted', '1 while docker compose runs the project and composelet has not adopted it (nothing is changed), else 0.', ['project']);
  const manifestValid = gauge('manifest_valid', '1 when the last manifest edit loaded, 0 when it was invalid.', ['project']);
  const backupLastSuccess = gauge('backup_last_success_timestamp_seconds', 'Unix time of the last successful backup (0: never).', ['project', 'backup']);
  const backupDuration = gauge('backup_duration_seconds', 'How long the last backup run took.', ['project', 'backup']);
  const backupSize = gauge('backup_size_bytes', 'Size of the last successful backup artifact.', ['project', 'backup']);
  const backupFailures = counter('backup_failures_total', 'Backup runs that failed.', ['project', 'backup']);
  const backupNextRun = gauge('backup_next_run_timestamp_seconds', 'Unix time of the next scheduled backup (0: none).', ['project', 'backup']);
  const backupInterval = gauge('backup_schedule_interval_seconds', 'Longest gap the backup schedule leaves between two runs.', ['project', 'backup']);
  const notifications = counter('notifications_total', 'Notifications (--notify) by result: sent, failed (after retries), dropped (queue full).', ['result']);
  for (const result of ['sent', 'failed', 'dropped']) notifications.inc({ result }, 0);
  /** Label values set per project, so forgetting a project removes exactly its drift series. */
  const driftLabels = new Map<string, Set<string>>();
  const driftServices = gauge('drift_services', 'Services by drift status in the last drift report.', ['project', 'status']);
  const driftChanges = gauge('drift_changes', 'Changes by category in the last drift report.', ['project', 'category']);
  const lastSuccess = gauge('last_successful_reconcile_timestamp_seconds', 'Unix time of the last successful reconcile (0: never).', ['project']);

  for (const kind of ACTION_KINDS) for (const result of ACTION_RESULTS) actions.inc({ kind, result }, 0);

  const servicesByProject = new Map<string, Set<string>>();
  const engineMethodsSeen = new Set<string>();

  function projectSeen(projectName: string): void {
    if (servicesByProject.has(projectName)) return;
    servicesByProject.set(projectName, new Set());
    const project = projectName;
    for (const result of RECONCILE_RESULTS) reconcileTotal.inc({ project, result }, 0);
    reconcileErrors.inc({ project }, 0);
    reconcileDuration.zero({ project });
    drifted.set({ project }, 0);
    notAdopted.set({ project }, 0);
    lastSuccess.set({ project }, 0);
  }

  function serviceSeen(projectName: string, serviceName: string): void {
    projectSeen(projectName);
    const services = servicesByProject.get(projectName);
    if (services === undefined || services.has(serviceName)) return;
    services.add(serviceName);
    const labels = { project: projectName, service: serviceName };
    restarts.inc(labels, 0);
    crashLooping.set(labels, 0);
    backoff.set(labels, 0);
    suspended.set(labels, 0);
    for (const result of ROLLOUT_RESULTS) rollouts.inc({ ...labels, result }, 0);
  }

  function forgetService(projectName: string, serviceName: string): void {
    const labels = { project: projectName, service: serviceName };
    restarts.remove(labels);
    crashLooping.remove(labels);
    backoff.remove(labels);
    suspended.remove(labels);
    for (const result of ROLLOUT_RESULTS) rollouts.remove({ ...labels, result });
    servicesByProject.get(projectName)?.delete(serviceName);
  }

  return {
    registry,
    projectSeen,
    serviceSeen,
    forgetService,
    forgetProject(projectName) {
      for (const serviceName of servicesByProject.get(projectName) ?? []) forgetService(projectName, serviceName);
      const project = projectName;
      for (const result of RECONCILE_RESULTS) reconcileTotal.remove({ project, result });
      for (const metric of [reconcileErrors, reconcileDuration, drifted, notAdopted, manifestValid, lastSuccess]) metric.remove({ project });
      for (const status of driftLabels.get(`${project}\0status`) ?? []) driftServices.remove({ project, status });
      for (const category of driftLabels.get(`${project}\0category`) ?? []) driftChanges.remove({ project, category });
      servicesByProject.delete(projectName);
    },
    recordReconcile(projectName, result, durationSeconds) {
      projectSeen(projectName);
      const project = projectName;
      reconcileTotal.inc({ project, result });
      if (result === 'error' || result === 'invalid_manifest') reconcileErrors.inc({ project });
      reconcileDuration.observe({ project }, durationSeconds);
      if (result === 'success') lastSuccess.set({ project }, now() / 1000);
    },
    setQueueDepth: (depth) => queueDepth.set(depth),
    setReconcilesInFlight: (count) => inFlight.set(count),
    recordAction: (kind, result) => actions.inc({ kind, result }),
    recordEngineCall(call) {
      const method = call.method;
      if (!engineMethodsSeen.has(method)) {
        engineMethodsSeen.add(method);
        engineErrors.inc({ method }, 0);
      }
      engineCalls.inc({ method });
      if (call.error !== undefined) engineErrors.inc({ method });
    },
    setEngineConnected: (connected) => engineConnected.set(connected ? 1 : 0),
    setAuditLogWritable: (writable) => auditLogWritable.set(writable ? 1 : 0),
    setDriftedServices(projectName, count) {
      projectSeen(projectName);
      drifted.set({ project: projectName }, count);
    },
    recordServiceRestart(projectName, serviceName) {
      serviceSeen(projectName, serviceName);
      restarts.inc({ project: projectName, service: serviceName });
    },
    setServiceCrashLooping(projectName, serviceName, isCrashLooping) {
      serviceSeen(projectName, serviceName);
      crashLooping.set({ project: projectName, service: serviceName }, isCrashLooping ? 1 : 0);
    },
    setServiceSuspended(projectName, serviceName, isSuspended) {
      serviceSeen(projectName, serviceName);
      suspended.set({ project: projectName, service: serviceName }, isSuspended ? 1 : 0);
    },
    recordRollout(projectName, serviceName, result) {
      serviceSeen(projectName, serviceName);
      rollouts.inc({ project: projectName, service: serviceName, result });
    },
    setServiceBackoff(projectName, serviceName, seconds) {
      serviceSeen(projectName, serviceName);
      backoff.set({ project: projectName, service: serviceName }, seconds);
    },
    setProjectNotAdopted(projectName, isNotAdopted) {
      projectSeen(projectName);
      notAdopted.set({ project: projectName }, isNotAdopted ? 1 : 0);
    },
    setManifestValid(projectName, valid) {
      projectSeen(projectName);
      manifestValid.set({ project: projectName }, valid ? 1 : 0);
    },
    recordBackup(projectName, backup, run) {
      projectSeen(projectName);
      const labels = { project: projectName, backup };
      backupFailures.inc(labels, run.ok ? 0 : 1);
      backupDuration.set(labels, run.durationSeconds);
      if (run.ok) {
        backupLastSuccess.set(labels, run.finishedAtSeconds);
        if (run.sizeBytes !== null) backupSize.set(labels, run.sizeBytes);
      }
    },
    setBackupNextRun(projectName, backup, epochSeconds) {
      backupNextRun.set({ project: projectName, backup }, epochSeconds);
      backupFailures.inc({ project: projectName, backup }, 0);
      backupLastSuccess.inc({ project: projectName, backup }, 0);
    },
    recordNotification: (result) => notifications.inc({ result }),
    setBackupInterval: (projectName, backup, seconds) => backupInterval.set({ project: projectName, backup }, seconds),
    setDrift(projectName, drift) {
      projectSeen(projectName);
      driftLabels.set(`${projectName}\0status`, new Set(Object.keys(drift.byStatus)));
      driftLabels.set(`${projectName}\0category`, new Set(Object.keys(drift.byCategory)));
      for (const [status, count] of Object.entries(drift.byStatus)) driftServices.set({ project: projectName, status }, count);
      for (const [category, count] of Object.entries(drift.byCategory)) driftChanges.set({ project: projectName, category }, count);
    },
  };
}
