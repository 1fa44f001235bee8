import type { Cron } from 'croner';
import type { Logger } from 'pino';
import { buildAuditEntry, type AuditEntry } from '../../audit/audit-entry.js';
import type { Project } from '../../desired-state/model.js';
import type { EnginePort } from '../../engine/engine-port.js';
import { gcSettings } from '../../operations/gc/gc-settings.js';
import { executeGc, gatherGc } from '../../operations/gc/run-gc.js';
import { scheduleJob } from '../../operations/schedule-expression.js';
import type { Redactor } from '../../redaction/redact.js';
import type { GcRunResult, ScheduleMetrics } from './schedule-metrics.js';

// `x-composelet: { gc: { schedule: "0 3 * * 5" } }`: the controller runs the Friday clean-up itself, the
// same run as `composelet gc --yes` (operations/gc/run-gc.ts) for that one project: never volumes, the
// rollback targets' images kept, a suspended project not touched (its run is counted and audited as
// skipped), nothing while the audit log cannot be written. `sync` follows the manifests: a schedule
// added, changed or removed takes effect at the next sync (each resync and manifest change).

export interface GcScheduleStatus {
  project: string;
  schedule: string;
  nextRun: string | null;
  lastRun: { at: string; result: GcRunResult; removed: number; detail: string } | null;
}

export interface GcSchedulerOptions {
  engine: EnginePort;
  logger: Logger;
  metrics: ScheduleMetrics;
  redactor: Redactor;
  stateDir: string;
  desiredProjects: () => Project[];
  audit: (entries: AuditEntry[]) => Promise<void>;
  /** False while the audit log cannot be written: nothing is removed then (fail closed). */
  writable: () => boolean;
}

export function createGcScheduler(options: GcSchedulerOptions) {
  const jobs = new Map<string, { schedule: string; job: Cron }>();
  const lastRuns = new Map<string, NonNullable<GcScheduleStatus['lastRun']>>();
  const log = options.logger.child({ component: 'gc-schedule' });
  let stopped = false;

  async function run(projectName: string, schedule: string): Promise<void> {
    const project = options.desiredProjects().find((candidate) => candidate.name === projectName);
    if (project === undefined) return;
    const at = new Date();
    const finish = (result: GcRunResult, removed: Record<string, number>, reclaimedBytes: number, detail: string) => {
      const count = Object.values(removed).reduce((total, value) => total + value, 0);
      lastRuns.set(projectName, { at: at.toISOString(), result, removed: count, detail });
      options.metrics.recordGcRun(projectName, { result, removed, reclaimedBytes, atSeconds: Math.floor(at.getTime() / 1000) });
      options.metrics.gcScheduled(projectName, nextRunSeconds(jobs.get(projectName)?.job));
    };
    const trigger = `scheduled gc (${schedule})`;
    if (!options.writable()) {
      log.warn({ project: projectName }, 'scheduled gc skipped: the audit log cannot be written');
      finish('skipped', {}, 0, 'the audit log cannot be written');
      return;
    }
    try {
      const gathered = await gatherGc(options.engine, { projects: [project], stateDir: options.stateDir, volumesToo: false });
      const suspended = gathered.skipped[0];
      if (suspended !== undefined) {
        log.info({ project: projectName }, `scheduled gc skipped: ${suspended.reason}`);
        await options.audit([skippedEntry(projectName, trigger, suspended.reason, options.redactor)]);
        finish('skipped', {}, 0, suspended.reason);
        return;
      }
      const steps = await executeGc(options.engine, gathered, { actor: 'controller', trigger, audit: options.audit, redactor: options.redactor });
      const removed: Record<string, number> = {};
      for (const step of steps.filter((candidate) => candidate.error === null && candidate.kind !== 'build-cache')) removed[step.kind] = (removed[step.kind] ?? 0) + 1;
      const failures = steps.filter((step) => step.error !== null);
      const reclaimed = steps.reduce((total, step) => total + (step.reclaimedBytes ?? 0), 0);
      const detail = failures.length > 0 ? failures.map((step) => `${step.what}: ${step.error}`).join('; ') : `${steps.length} step(s)`;
      (failures.length > 0 ? log.warn.bind(log) : log.info.bind(log))({ project: projectName, removed, reclaimedBytes: reclaimed }, `scheduled gc done: ${detail}`);
      finish(failures.length > 0 ? 'failed' : 'succeeded', removed, reclaimed, detail);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ project: projectName, error: message }, 'scheduled gc failed');
      finish('failed', {}, 0, message);
    }
  }

  return {
    /** Starts, changes and stops the jobs to match the desired projects' x-composelet.gc.schedule. */
    sync(): void {
      if (stopped) return;
      const wanted = new Map<string, string>();
      for (const project of options.desiredProjects()) {
        const schedule = gcSettings(project).schedule;
        if (schedule !== null) wanted.set(project.name, schedule);
      }
      for (const [projectName, current] of jobs) {
        if (wanted.get(projectName) === current.schedule) continue;
        current.job.stop();
        jobs.delete(projectName);
        if (!wanted.has(projectName)) options.metrics.gcForget(projectName);
      }
      for (const [projectName, schedule] of wanted) {
        if (jobs.has(projectName)) continue;
        const job = scheduleJob({ source: schedule }, () => run(projectName, schedule));
        jobs.set(projectName, { schedule, job });
        options.metrics.gcScheduled(projectName, nextRunSeconds(job));
        log.info({ project: projectName, schedule, nextRun: job.nextRun()?.toISOString() }, 'gc scheduled');
      }
    },
    status(): GcScheduleStatus[] {
      return [...jobs].map(([project, { schedule, job }]) => ({ project, schedule, nextRun: job.nextRun()?.toISOString() ?? null, lastRun: lastRuns.get(project) ?? null }));
    },
    stop(): void {
      stopped = true;
      for (const { job } of jobs.values()) job.stop();
      jobs.clear();
    },
  };
}

function nextRunSeconds(job: Cron | undefined): number {
  const next = job?.nextRun();
  return next ? Math.floor(next.getTime() / 1000) : 0;
}

function skippedEntry(project: string, trigger: string, reason: string, redactor: Redactor): AuditEntry {
  return buildAuditEntry(
    { actor: 'controller', project, service: null, action: 'gc', resource: `project:${project}`, cause: `${trigger}: ${reason}`, specHashBefore: null, specHashAfter: null, result: 'skipped', error: null, manifestCommit: null, durationMs: 0 },
    { redactor },
  );
}
