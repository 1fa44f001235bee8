import { hostname } from 'node:os';
import { readAuditLog } from '../audit/read-audit.js';
import { nextRunAt, readHistory, resolveBackupDefinitions } from '../backup/index.js';
import type { DesiredState } from '../desired-state/model.js';
import { createDriftReport } from '../drift/report/report.js';
import type { EnginePort } from '../engine/engine-port.js';
import { composeletVersion } from '../meta/version.js';
import type { Redactor } from '../redaction/redact.js';
import { redactFreeText } from '../audit/audit-entry.js';
import { commitsOf, healEvents, inPeriod, rollbacksOf, summarizeActivity, suspensionEvents } from './audit-events.js';
import { summarizeBackup } from './backup-summary.js';
import type { ContainerTimes } from './downtime.js';
import { DAILY_REPORT_SCHEMA_VERSION, type BackupDay, type DailyReport } from './model.js';
import { serviceDay } from './service-days.js';

// The daily report, gathered: the drift report (state, drift, policy, suspensions in force), the engine's
// container times and health, the audit log over the period, and the backup histories. Read-only.

export interface DailyReportOptions {
  manifestPath: string;
  cwd: string;
  since: Date;
  now: Date;
  auditPath: string;
  stateDir: string;
  backupDestination: string;
  redactor: Redactor;
}

export async function createDailyReport(engine: EnginePort, state: DesiredState, options: DailyReportOptions): Promise<DailyReport> {
  const period = { since: options.since.getTime(), until: options.now.getTime() };
  const drift = await createDriftReport(engine, state, {
    manifestPath: options.manifestPath,
    cwd: options.cwd,
    now: () => options.now,
    stateDir: options.stateDir,
    redactor: options.redactor,
    backupDestination: options.backupDestination,
  });
  const reading = await readAuditLog(options.auditPath).catch(() => null);
  const projectNames = new Set(state.projects.map((project) => project.name));
  const entries = inPeriod(reading?.entries ?? [], { since: options.since, until: options.now }).filter((entry) => projectNames.has(entry.project));
  const heals = healEvents((reading?.entries ?? []).filter((entry) => projectNames.has(entry.project))).filter(
    (heal) => heal.time >= period.since && heal.time <= period.until,
  );

  const services = [];
  for (const project of drift.projects) {
    for (const service of project.services) {
      const containers = new Map<string, ContainerTimes & { health: string }>();
      for (const container of service.containers) containers.set(container.name, await containerTimes(engine, container.id));
      services.push(serviceDay({ project: project.name, drift: service, containers, heals, period }));
    }
  }
  return {
    schemaVersion: DAILY_REPORT_SCHEMA_VERSION,
    generatedAt: options.now.toISOString(),
    host: hostname(),
    period: { since: options.since.toISOString(), until: options.now.toISOString() },
    manifest: drift.manifest,
    composelet: { version: composeletVersion() },
    services,
    backups: await backupDays(state, options, period),
    drift: drift.summary,
    projects: drift.projects.map((project) => ({
      project: project.name,
      driftStatus: project.status,
      changes: project.changes.length + project.services.reduce((total, service) => total + service.changes.length, 0),
      policy: project.policy,
      suspensions: project.suspensions ?? [],
    })),
    activity: summarizeActivity(entries),
    suspensionEvents: suspensionEvents(entries),
    commits: commitsOf(entries),
    rollbacks: rollbacksOf(entries),
    audit: { path: options.auditPath, found: (reading?.files.length ?? 0) > 0, skippedLines: reading?.skippedLines.length ?? 0 },
  };
}

const ZERO_TIME = /^0001-01-01/;

async function containerTimes(engine: EnginePort, containerId: string): Promise<ContainerTimes & { health: string }> {
  try {
    const inspected = await engine.inspectContainer(containerId);
    const time = (text: string) => (text === '' || ZERO_TIME.test(text) ? null : Date.parse(text));
    return {
      finishedAt: time(inspected.State.FinishedAt),
      startedAt: time(inspected.State.StartedAt),
      running: inspected.State.Running,
      health: inspected.State.Health?.Status ?? 'none',
    };
  } catch {
    return { finishedAt: null, startedAt: null, running: false, health: 'none' }; // removed since the drift was read
  }
}

async function backupDays(state: DesiredState, options: DailyReportOptions, period: { since: number; until: number }): Promise<BackupDay[]> {
  const days: BackupDay[] = [];
  for (const project of state.projects) {
    for (const definition of resolveBackupDefinitions(project, { defaultDestination: options.backupDestination }).definitions) {
      const history = await readHistory(definition);
      const runs = [...history.artifacts, ...history.failures].map((record) => Date.parse(record.manifest.finishedAt));
      const lastBefore = runs.filter((time) => time < period.since).sort((left, right) => right - left)[0];
      const first = nextRunAt(definition, options.since, { lastRunAt: lastBefore === undefined ? null : new Date(lastBefore) });
      days.push(
        summarizeBackup(
          {
            project: project.name,
            definition: definition.name,
            service: definition.service,
            succeeded: history.artifacts.map((record) => record.manifest),
            failed: history.failures.map((record) => record.manifest),
            firstScheduledAt: first === null ? null : first.getTime(),
          },
          period,
        ),
      );
      const day = days[days.length - 1]!;
      if (day.lastError !== null) day.lastError = redactFreeText(day.lastError, options.redactor);
    }
  }
  return days;
}
