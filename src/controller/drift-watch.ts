import type { Logger } from 'pino';
import { timer, type Observable } from 'rxjs';
import type { DesiredState } from '../desired-state/model.js';
import { createDriftReport, summarize, writeDriftReport, type DriftReport } from '../drift/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import type { Redactor } from '../redaction/redact.js';
import type { Project } from '../desired-state/model.js';
import type { ProjectDrift } from '../drift/model.js';
import { withSwarmProjects } from '../swarm/controller/swarm-drift-report.js';

// The controller's drift pass: on a schedule, the same drift report `composelet drift` prints, for every
// project in force, as metrics (services by status, changes by category), log lines for what drifted and,
// with --drift-report-dir, JSON and Markdown files (latest.json, latest.md and a bounded history).

export interface DriftWatchOptions {
  engine: EnginePort;
  root: string;
  logger: Logger;
  metrics: ControllerMetrics;
  redactor: Redactor;
  reportDirectory: string | null;
  desiredState: () => DesiredState;
  /** Where suspensions are kept (the ones in force go in the report and the log), and remembered anonymous
   * volumes (dangling ones are drift). */
  stateDir?: string;
  /** Each report made (the status page shows the last one). */
  onReport?: (report: DriftReport) => void;
  /** `run --git`: project name -> "commit def4567 not applied: suspended by …" for projects a suspension
   * holds a commit off; said in place of the project-level suspension's note. */
  heldDeploys?: () => ReadonlyMap<string, string>;
  /** Projects that target Swarm: their drift is Swarm's (src/swarm/controller/swarm-drift-report.ts). */
  swarm?: { isSwarm(project: Project): boolean; projectDrift(project: Project): Promise<ProjectDrift> };
}

export async function runDriftPass(options: DriftWatchOptions): Promise<void> {
  const state = options.desiredState();
  if (state.projects.length === 0) return;
  const onSwarm = state.projects.filter((project) => options.swarm?.isSwarm(project) ?? false);
  const oneHost = await createDriftReport(options.engine, { ...state, projects: state.projects.filter((project) => !onSwarm.includes(project)) }, {
    manifestPath: options.root,
    redactor: options.redactor,
    ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
  });
  const report = withSwarmProjects(oneHost, await Promise.all(onSwarm.map((project) => options.swarm!.projectDrift(project))));
  options.onReport?.(report);
  const heldDeploys = options.heldDeploys?.() ?? new Map<string, string>();
  for (const project of report.projects) {
    const held = heldDeploys.get(project.name);
    if (held !== undefined) for (const suspension of project.suspensions ?? []) if (suspension.service === null) suspension.message = held;
    options.metrics.setDrift(project.name, summarize([project]));
    for (const suspension of project.suspensions ?? []) options.logger.info({ project: project.name, service: suspension.service }, `drift: ${project.name}/${suspension.service ?? '*'} ${suspension.message}`);
    for (const service of project.services.filter((candidate) => candidate.status !== 'in-sync')) {
      options.logger.warn(
        { project: project.name, service: service.name, status: service.status, changes: service.changes.map((change) => change.reason) },
        `drift: ${project.name}/${service.name} is ${service.status}`,
      );
    }
  }
  if (options.reportDirectory) {
    const written = await writeDriftReport(options.reportDirectory, report);
    options.logger.info({ report: written }, `drift report written (${report.inSync ? 'in sync' : 'drift'})`);
  }
}

/** First pass a little after start (once the first reconciles ran), then every `periodMs`. */
export function driftSchedule(periodMs: number): Observable<number> {
  return timer(Math.min(periodMs, 15_000), periodMs);
}
