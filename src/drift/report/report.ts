import { hostname } from 'node:os';
import type { DesiredState } from '../../desired-state/model.js';
import type { EnginePort } from '../../engine/engine-port.js';
import { composeletVersion } from '../../meta/version.js';
import { computeDrift, type DriftOptions } from '../compute-drift.js';
import { readManifestSource } from './manifest-source.js';
import { activeSuspensions, describeSuspension } from '../../operations/suspend/suspension.js';
import { readSuspensions } from '../../operations/suspend/suspension-store.js';
import { failedSpecs, readFailedRollouts, type FailedRollouts } from '../../state/failed-rollouts.js';
import {
  DRIFT_CATEGORIES,
  SERVICE_STATUSES,
  type DriftCategory,
  type DriftReport,
  type DriftSummary,
  type FailedRolloutNote,
  type ManifestSource,
  type ProjectDrift,
  type ServiceStatus,
} from '../model.js';

// The whole report: every project's drift under a header that says when, where, against which engine
// and composelet, and from which manifests (path, git commit, dirty). Exit code: 0 in sync, 2 drift.

export const DRIFT_SCHEMA_VERSION = '1';

export interface ReportOptions extends DriftOptions {
  /** What was given on the command line (file or directory). */
  manifestPath: string;
  /** Resolves a relative manifestPath; default process.cwd(). */
  cwd?: string;
  now?: () => Date;
  /** Where suspensions are kept: the ones in force are reported per project (unset: none read). */
  stateDir?: string;
}

export async function createDriftReport(engine: EnginePort, state: DesiredState, options: ReportOptions): Promise<DriftReport> {
  const [version, manifest] = await Promise.all([
    engine.version(),
    readManifestSource(options.manifestPath, options.cwd !== undefined ? { cwd: options.cwd } : {}),
  ]);
  const projects: ProjectDrift[] = [];
  const now = (options.now ?? (() => new Date()))();
  for (const project of state.projects) {
    const drift = await computeDrift(engine, project, {
      ...(options.redactor ? { redactor: options.redactor } : {}),
      ...(options.backupDestination ? { backupDestination: options.backupDestination } : {}),
      ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    });
    if (options.stateDir !== undefined) {
      const suspensions = activeSuspensions(await readSuspensions(options.stateDir, project.name).catch(() => []), now.getTime());
      if (suspensions.length > 0) {
        drift.suspensions = suspensions.map((entry) => ({ service: entry.service, by: entry.by, until: entry.until, reason: entry.reason, message: describeSuspension(entry) }));
      }
      const hashes = Object.fromEntries(Object.values(project.services).map((service) => [service.name, service.specHash]));
      const failed = failedSpecs(await readFailedRollouts(options.stateDir, project.name).catch((): FailedRollouts => ({})), hashes);
      if (Object.keys(failed).length > 0) drift.failedRollouts = failedRolloutNotes(failed);
    }
    projects.push(drift);
  }
  return assembleReport({
    projects,
    generatedAt: now,
    host: hostname(),
    engine: { version: version.Version, apiVersion: version.ApiVersion },
    manifest,
  });
}

/** The failure memory in force, as drift notes, by service name. */
export function failedRolloutNotes(failed: FailedRollouts): FailedRolloutNote[] {
  return Object.entries(failed)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([service, failure]) => ({ service, ...failure, message: `running the previous spec, the desired one failed: ${failure.reason}` }));
}

export interface ReportParts {
  projects: ProjectDrift[];
  generatedAt: Date;
  host: string;
  engine: { version: string; apiVersion: string };
  manifest: ManifestSource;
}

export function assembleReport(parts: ReportParts): DriftReport {
  const summary = summarize(parts.projects);
  return {
    schemaVersion: DRIFT_SCHEMA_VERSION,
    generatedAt: parts.generatedAt.toISOString(),
    host: parts.host,
    engine: parts.engine,
    composelet: { version: composeletVersion() },
    manifest: parts.manifest,
    inSync: summary.projectsDrifted === 0,
    summary,
    projects: parts.projects,
  };
}

export function summarize(projects: readonly ProjectDrift[]): DriftSummary {
  const byStatus = Object.fromEntries(SERVICE_STATUSES.map((status) => [status, 0])) as Record<ServiceStatus, number>;
  const byCategory = Object.fromEntries(DRIFT_CATEGORIES.map((category) => [category, 0])) as Record<DriftCategory, number>;
  let services = 0;
  let changes = 0;
  for (const project of projects) {
    for (const service of project.services) {
      services += 1;
      byStatus[service.status] += 1;
    }
    for (const change of [...project.changes, ...project.services.flatMap((service) => service.changes)]) {
      changes += 1;
      byCategory[change.category] += 1;
    }
  }
  return {
    projects: projects.length,
    projectsDrifted: projects.filter((project) => project.status === 'drifted').length,
    services,
    byStatus,
    changes,
    byCategory,
  };
}

/** 0 in sync, 2 drift (1, an error, is the caller's). */
export function driftExitCode(report: DriftReport): 0 | 2 {
  return report.inSync ? 0 : 2;
}
