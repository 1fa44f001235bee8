import { backupBeforeRecreate, resolveBackupDefinitions, type BackupEngine } from '../../backup/index.js';
import type { Plan } from '../plan/plan.js';
import { planProject, type PlannedProject, type PlanningOptions } from '../converge.js';
import type { EnginePort } from '../../engine/engine-port.js';
import type { Project } from '../../desired-state/model.js';

// Before destructive changes: a service that the plan replaces and that has a backup definition (with
// before_recreate, the default) is backed up first; if that backup fails, the service is not recreated
// and the plan says why. The backup is I/O, so it happens here, between planning and executing.

/** Services the plan replaces (a new container created to take an old one's place). */
export function replacedServices(plan: Plan): string[] {
  const services = plan.operations
    .filter((operation) => operation.kind === 'create-container' && operation.inheritAnonymousVolumesFrom !== null)
    .map((operation) => operation.service)
    .filter((service): service is string => service !== null);
  return [...new Set(services)].sort();
}

export interface PreRecreateReport {
  /** service -> why its recreate is held (its backup failed). */
  holds: Record<string, string>;
  /** service -> what was backed up (artifact paths) or why none was needed. */
  backedUp: Record<string, string>;
}

export async function backUpBeforeReplacing(
  engine: BackupEngine,
  planned: PlannedProject,
  options: { defaultDestination?: string; signal?: AbortSignal } = {},
): Promise<PreRecreateReport> {
  const report: PreRecreateReport = { holds: {}, backedUp: {} };
  const resolveOptions = options.defaultDestination ? { defaultDestination: options.defaultDestination } : {};
  const withDefinitions = new Set(
    resolveBackupDefinitions(planned.project, resolveOptions)
      .definitions.filter((definition) => definition.beforeRecreate)
      .map((definition) => definition.service),
  );
  const services = replacedServices(planned.plan).filter((service) => withDefinitions.has(service));
  if (services.length === 0) return report;
  const outcomes = await backupBeforeRecreate(engine, planned.project, services, {
    ...resolveOptions,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for (const [service, outcome] of Object.entries(outcomes)) {
    if (outcome.status === 'failed') report.holds[service] = `the backup before the recreate failed: ${outcome.reason}`;
    else report.backedUp[service] = outcome.status === 'backed-up' ? outcome.results.map((result) => result.artifactPath).join(', ') : outcome.reason;
  }
  return report;
}

/**
 * Plan, and when the plan replaces services with backups, back them up first; a service whose backup
 * failed is planned again without its recreate.
 */
export async function planWithPreRecreateBackups(
  engine: EnginePort,
  backupEngine: BackupEngine,
  project: Project,
  options: PlanningOptions & { defaultDestination?: string; signal?: AbortSignal },
): Promise<{ planned: PlannedProject; backups: PreRecreateReport }> {
  const first = await planProject(engine, project, options);
  const backups = await backUpBeforeReplacing(backupEngine, first, {
    ...(options.defaultDestination ? { defaultDestination: options.defaultDestination } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (Object.keys(backups.holds).length === 0) return { planned: first, backups };
  const planned = await planProject(engine, project, { ...options, holdRecreates: { ...options.holdRecreates, ...backups.holds } });
  return { planned, backups };
}
