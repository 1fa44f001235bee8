import { scheduleIntervalSeconds } from '../backup/schedule/next-run.js';
import type { Logger } from 'pino';
import { buildAuditEntry } from '../audit/audit-entry.js';
import type { AuditEntry } from '../audit/audit-entry.js';
import {
  backupSchedule,
  readBackupIndex,
  resolveBackupDefinitions,
  runBackup,
  type BackupEngine,
  type BackupResult,
} from '../backup/index.js';
import type { Project } from '../desired-state/model.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import type { Redactor } from '../redaction/redact.js';
import { COMPOSE_SERVICE, projectFilter } from '../reconciler/labels.js';

// Backup schedules inside the controller: on every tick, each project's backup definitions are checked
// against their history on disk (level-triggered: the artifacts are the state); what is due runs, one
// definition at a time per project. A run missed while the controller was down is made once at start,
// spread by a per-definition jitter so a restart does not start every dump at once.

export interface BackupSchedulerOptions {
  engine: BackupEngine;
  logger: Logger;
  metrics: ControllerMetrics;
  redactor: Redactor;
  defaultDestination: string;
  startedAt: Date;
  /** Catch-up runs at start are spread over this much (default 30 s). */
  maxJitterMs?: number;
  desiredProjects: () => Project[];
  audit: (entries: AuditEntry[]) => Promise<void>;
  now?: () => Date;
}

export function createBackupScheduler(options: BackupSchedulerOptions) {
  const running = new Set<string>();
  const now = options.now ?? (() => new Date());
  const resolveOptions = { defaultDestination: options.defaultDestination };
  let controller = new AbortController();

  async function tickProject(project: Project): Promise<void> {
    const { definitions } = resolveBackupDefinitions(project, resolveOptions);
    if (definitions.length === 0) return;
    const schedule = await publishSchedule(project, definitions);
    let ran = false;
    for (const entry of schedule.filter((candidate) => candidate.due)) {
      const key = `${project.name}/${entry.definition.name}`;
      if (running.has(key)) continue;
      // A service still being converged (or held stopped) cannot be backed up yet: look again next tick
      // rather than record a failure that would delay the backup by the retry delay.
      if (!(await isRunning(project.name, entry.definition.service))) {
        options.logger.debug({ project: project.name, backup: entry.definition.name }, `backup ${entry.definition.name}: due, waiting for ${entry.definition.service} to run`);
        continue;
      }
      running.add(key);
      try {
        options.logger.info({ project: project.name, backup: entry.definition.name, reason: entry.reason }, `backup ${entry.definition.name}: starting (${entry.reason})`);
        const result = await runBackup(options.engine, project, entry.definition, {
          trigger: 'schedule',
          signal: controller.signal,
          redact: (text) => options.redactor.text(text),
        });
        record(project, result);
        ran = true;
      } finally {
        running.delete(key);
      }
    }
    if (ran) await publishSchedule(project, definitions);
  }

  /** The schedule as the artifacts on disk say now; the next-run gauges follow it. */
  async function publishSchedule(project: Project, definitions: Parameters<typeof readBackupIndex>[0]) {
    const schedule = backupSchedule(project, await readBackupIndex(definitions), now(), {
      ...resolveOptions,
      startedAt: options.startedAt,
      ...(options.maxJitterMs !== undefined ? { maxJitterMs: options.maxJitterMs } : {}),
    });
    for (const entry of schedule) {
      options.metrics.setBackupNextRun(project.name, entry.definition.name, entry.runAt ? Math.floor(entry.runAt.getTime() / 1000) : 0);
      options.metrics.setBackupInterval(project.name, entry.definition.name, scheduleIntervalSeconds(entry.definition.schedule, now()));
    }
    return schedule;
  }

  async function isRunning(projectName: string, service: string): Promise<boolean> {
    const containers = await options.engine.listContainers({ label: [projectFilter(projectName), `${COMPOSE_SERVICE}=${service}`] });
    return containers.some((container) => container.State === 'running');
  }

  function record(project: Project, result: BackupResult): void {
    options.metrics.recordBackup(project.name, result.definition, {
      ok: result.ok,
      durationSeconds: result.durationMs / 1000,
      sizeBytes: result.manifest?.size ?? null,
      finishedAtSeconds: Math.floor(now().getTime() / 1000),
    });
    if (result.ok) {
      options.logger.info({ project: project.name, backup: result.definition, artifact: result.artifactPath, durationMs: result.durationMs }, `backup ${result.definition}: done`);
    } else {
      options.logger.error({ project: project.name, backup: result.definition, error: result.error }, `backup ${result.definition}: failed`);
    }
    const entry = buildAuditEntry(
      {
        actor: 'backup',
        project: project.name,
        service: result.service,
        action: 'backup',
        resource: `backup:${result.definition}`,
        cause: `scheduled backup (${result.strategy})${result.artifactPath ? `: ${result.artifactPath}` : ''}`,
        specHashBefore: null,
        specHashAfter: null,
        result: result.ok ? 'succeeded' : 'failed',
        error: result.error,
        manifestCommit: null,
        durationMs: result.durationMs,
      },
      { redactor: options.redactor },
    );
    void options.audit([entry]);
  }

  return {
    /** Look at every project's schedules once; runs what is due. */
    async tick(): Promise<void> {
      for (const project of options.desiredProjects()) {
        try {
          await tickProject(project);
        } catch (error) {
          options.logger.warn({ project: project.name, error: error instanceof Error ? error.message : String(error) }, 'backup schedule check failed');
        }
      }
    },
    /** Abort runs in flight (their partial artifacts are removed; nothing appears under a final name). */
    stop(): void {
      controller.abort();
      controller = new AbortController();
    },
  };
}
