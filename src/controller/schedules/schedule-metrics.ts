import { Counter, Gauge, type Registry } from 'prom-client';

// The metrics of the controller's scheduled operator tasks (gc on x-composelet.gc.schedule, the daily
// report on --report-schedule), on the controller's own registry. A project's gc series start at zero
// when its schedule is first seen; the report's when the controller starts.

export const GC_RUN_RESULTS = ['succeeded', 'failed', 'skipped'] as const;
export type GcRunResult = (typeof GC_RUN_RESULTS)[number];
export const GC_REMOVED_KINDS = ['container', 'network', 'image', 'volume'] as const;

export interface ScheduleMetrics {
  gcScheduled(projectName: string, nextRunSeconds: number): void;
  gcForget(projectName: string): void;
  recordGcRun(projectName: string, run: { result: GcRunResult; removed: Partial<Record<(typeof GC_REMOVED_KINDS)[number], number>>; reclaimedBytes: number; atSeconds: number }): void;
  recordReport(run: { ok: boolean; atSeconds: number; nextRunSeconds: number }): void;
  reportScheduled(nextRunSeconds: number): void;
}

export function createScheduleMetrics(registry: Registry, prefix = 'composelet_'): ScheduleMetrics {
  const registers = [registry];
  const gcRuns = new Counter({ name: `${prefix}gc_runs_total`, help: 'Scheduled gc runs (x-composelet.gc.schedule) by result; skipped: suspended project or read-only audit log.', labelNames: ['project', 'result'], registers });
  const gcRemoved = new Counter({ name: `${prefix}gc_removed_total`, help: 'Objects scheduled gc removed, by kind.', labelNames: ['project', 'kind'], registers });
  const gcReclaimed = new Counter({ name: `${prefix}gc_build_cache_reclaimed_bytes_total`, help: 'Build cache bytes scheduled gc reclaimed (x-composelet.gc.build_cache.keep).', labelNames: ['project'], registers });
  const gcLastRun = new Gauge({ name: `${prefix}gc_last_run_timestamp_seconds`, help: 'Unix time of the last scheduled gc run (0: none yet).', labelNames: ['project'], registers });
  const gcNextRun = new Gauge({ name: `${prefix}gc_next_run_timestamp_seconds`, help: 'Unix time of the next scheduled gc run.', labelNames: ['project'], registers });
  const reports = new Counter({ name: `${prefix}reports_written_total`, help: 'Daily reports written on --report-schedule, by result.', labelNames: ['result'], registers });
  const reportLast = new Gauge({ name: `${prefix}report_last_written_timestamp_seconds`, help: 'Unix time of the last daily report written (0: none yet).', registers });
  const reportNext = new Gauge({ name: `${prefix}report_next_run_timestamp_seconds`, help: 'Unix time of the next daily report (0: no --report-dir).', registers });
  for (const result of ['written', 'failed']) reports.inc({ result }, 0);
  reportLast.set(0);
  reportNext.set(0);
  const seen = new Set<string>();

  return {
    gcScheduled(projectName, nextRunSeconds) {
      const project = projectName;
      if (!seen.has(project)) {
        seen.add(project);
        for (const result of GC_RUN_RESULTS) gcRuns.inc({ project, result }, 0);
        for (const kind of GC_REMOVED_KINDS) gcRemoved.inc({ project, kind }, 0);
        gcReclaimed.inc({ project }, 0);
        gcLastRun.set({ project }, 0);
      }
      gcNextRun.set({ project }, nextRunSeconds);
    },
    gcForget(projectName) {
      const project = projectName;
      seen.delete(project);
      for (const result of GC_RUN_RESULTS) gcRuns.remove({ project, result });
      for (const kind of GC_REMOVED_KINDS) gcRemoved.remove({ project, kind });
      for (const metric of [gcReclaimed, gcLastRun, gcNextRun]) metric.remove({ project });
    },
    recordGcRun(projectName, run) {
      const project = projectName;
      gcRuns.inc({ project, result: run.result });
      for (const [kind, count] of Object.entries(run.removed)) gcRemoved.inc({ project, kind }, count);
      gcReclaimed.inc({ project }, run.reclaimedBytes);
      gcLastRun.set({ project }, run.atSeconds);
    },
    recordReport(run) {
      reports.inc({ result: run.ok ? 'written' : 'failed' });
      if (run.ok) reportLast.set(run.atSeconds);
      reportNext.set(run.nextRunSeconds);
    },
    reportScheduled: (nextRunSeconds) => reportNext.set(nextRunSeconds),
  };
}
