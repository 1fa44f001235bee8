import { join } from 'node:path';
import type { Cron } from 'croner';
import type { Logger } from 'pino';
import { buildAuditEntry, type AuditEntry } from '../../audit/audit-entry.js';
import type { Project } from '../../desired-state/model.js';
import type { EnginePort } from '../../engine/engine-port.js';
import { scheduleJob, type ScheduleExpression } from '../../operations/schedule-expression.js';
import type { Redactor } from '../../redaction/redact.js';
import { createDailyReport } from '../../report/create-daily-report.js';
import { renderDailyMarkdown } from '../../report/render-markdown.js';
import { writeFileAtomic } from '../../state/atomic-file.js';
import type { ScheduleMetrics } from './schedule-metrics.js';

// `composelet run --report-dir DIR --report-schedule "0 18 * * *"`: the controller writes the daily report
// (report/create-daily-report.ts, the same document as `composelet report`) over the 24 hours before each
// run, as DIR/daily-report-YYYY-MM-DD.md and .json (the UTC date; a second run the same day replaces the
// first), each written atomically, and audits it.

export const DEFAULT_REPORT_SCHEDULE = '0 18 * * *';
const PERIOD_MS = 24 * 60 * 60 * 1000;

export interface ReportSchedulerOptions {
  engine: EnginePort;
  logger: Logger;
  metrics: ScheduleMetrics;
  redactor: Redactor;
  directory: string;
  schedule: ScheduleExpression;
  /** The manifests root, as the report names its source. */
  manifestPath: string;
  stateDir: string;
  auditPath: string | null;
  backupDestination: string;
  desiredProjects: () => Project[];
  audit: (entries: AuditEntry[]) => Promise<void>;
}

export interface ReportScheduleStatus {
  directory: string;
  schedule: string;
  nextRun: string | null;
  lastRun: { at: string; ok: boolean; files: string[]; error: string | null } | null;
}

/** `daily-report-2026-12-01` for a report whose period ends on that UTC day. */
export function reportFileBase(until: Date): string {
  return `daily-report-${until.toISOString().slice(0, 10)}`;
}

export function createReportScheduler(options: ReportSchedulerOptions) {
  const log = options.logger.child({ component: 'report-schedule' });
  let lastRun: ReportScheduleStatus['lastRun'] = null;
  let job: Cron | null = null;

  async function writeReport(): Promise<void> {
    const now = new Date();
    const started = Date.now();
    const projects = options.desiredProjects();
    const base = join(options.directory, reportFileBase(now));
    const files = [`${base}.md`, `${base}.json`];
    let error: string | null = null;
    try {
      const report = await createDailyReport(options.engine, { projects }, {
        manifestPath: options.manifestPath,
        cwd: options.manifestPath,
        since: new Date(now.getTime() - PERIOD_MS),
        now,
        auditPath: options.auditPath ?? '/dev/null',
        stateDir: options.stateDir,
        backupDestination: options.backupDestination,
        redactor: options.redactor,
      });
      await writeFileAtomic(files[0]!, renderDailyMarkdown(report));
      await writeFileAtomic(files[1]!, `${JSON.stringify(report, null, 2)}\n`);
      log.info({ files }, 'daily report written');
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
      log.warn({ error }, 'daily report could not be written; next one on schedule');
    }
    lastRun = { at: now.toISOString(), ok: error === null, files: error === null ? files : [], error };
    options.metrics.recordReport({ ok: error === null, atSeconds: Math.floor(now.getTime() / 1000), nextRunSeconds: nextRunSeconds() });
    const entry = buildAuditEntry(
      {
        actor: 'controller',
        project: projects.map((project) => project.name).join(',') || '.',
        service: null,
        action: 'write-report',
        resource: `report:${base}`,
        cause: `daily report (--report-schedule ${options.schedule.source})`,
        specHashBefore: null,
        specHashAfter: null,
        result: error === null ? 'succeeded' : 'failed',
        error,
        manifestCommit: null,
        durationMs: Date.now() - started,
      },
      { redactor: options.redactor },
    );
    await options.audit([entry]).catch((cause: unknown) => log.warn({ error: cause instanceof Error ? cause.message : cause }, 'could not audit the daily report'));
  }

  function nextRunSeconds(): number {
    const next = job?.nextRun();
    return next ? Math.floor(next.getTime() / 1000) : 0;
  }

  return {
    start(): void {
      job = scheduleJob(options.schedule, writeReport);
      options.metrics.reportScheduled(nextRunSeconds());
      log.info({ directory: options.directory, schedule: options.schedule.source, nextRun: job.nextRun()?.toISOString() }, 'daily report scheduled');
    },
    status(): ReportScheduleStatus {
      return { directory: options.directory, schedule: options.schedule.source, nextRun: job?.nextRun()?.toISOString() ?? null, lastRun };
    },
    stop(): void {
      job?.stop();
      job = null;
    },
  };
}
