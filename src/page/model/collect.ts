import type { BackupStatus } from '../../backup/backup-status.js';
import type { ProjectStatus } from '../../controller/project-status.js';
import type { Project } from '../../desired-state/model.js';
import type { DriftReport } from '../../drift/model.js';
import type { EnginePort } from '../../engine/engine-port.js';
import type { GitStatus } from '../../git/git-status.js';
import { liveStates } from '../../graph/live-states.js';
import { projectGraph } from '../../graph/project-graph.js';
import type { Redactor } from '../../redaction/redact.js';
import { projectFilter } from '../../reconciler/labels.js';
import { containerFromSummary } from '../../reconciler/observe/observe-parse.js';
import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';
import { layoutGraph } from '../graph/layout.js';
import { readAuditTail } from './audit-tail.js';
import { AUDIT_ENTRIES, type PageProject, type PageSnapshot } from './page-snapshot.js';
import { scrubber, scrubStrings } from './scrub.js';
import { withSwarmReplicas } from './swarm-service-rows.js';
import { serviceRows } from './service-rows.js';

// Gathers one snapshot: the controller's models as they are now, plus one container list call per project
// for the live states (the engine's answer, not the last reconcile's). I/O only; the rows and the graph are
// made by pure helpers.

export interface PageSources {
  engine: EnginePort;
  engineConnected(): boolean;
  readOnly(): boolean;
  /** The desired state in force per project. */
  projects(): Project[];
  statuses(): ProjectStatus[];
  backups(): Promise<BackupStatus[]>;
  git(): GitStatus | null;
  /** The controller's last drift report, or null before the first pass. */
  drift(): DriftReport | null;
  auditLogPath: string | null;
  redactor: Redactor;
  now?: () => Date;
}

async function ownContainers(engine: EnginePort, projectName: string): Promise<ObservedContainer[] | null> {
  try {
    const summaries = await engine.listContainers({ label: [projectFilter(projectName)] });
    return summaries.map(containerFromSummary).filter((container) => container.project === projectName);
  } catch {
    return null; // engine away: the page says so (engineConnected) and shows the states unknown
  }
}

export async function collectSnapshot(sources: PageSources): Promise<PageSnapshot> {
  const desired = sources.projects();
  const statuses = sources.statuses();
  const projects: PageProject[] = await Promise.all(
    desired.map(async (project) => {
      const status = statuses.find((candidate) => candidate.projectName === project.name);
      const containers = await ownContainers(sources.engine, project.name);
      const live = containers === null ? null : liveStates(project, { projectName: project.name, containers, networks: [], volumes: [], images: [] });
      return {
        key: status?.key ?? project.name,
        name: project.name,
        manifest: status?.manifest ?? { valid: true, issues: [] },
        lastReconcile: status?.lastReconcile ?? null,
        lastPlan: status?.lastPlan ?? null,
        commit: status?.commit ?? null,
        adoption: status?.adoption?.message ?? null,
        services: status?.swarm
          ? withSwarmReplicas(serviceRows(project, [], status), status.swarm)
          : serviceRows(project, containers ?? [], status).map((row) => (containers === null ? { ...row, state: 'missing' as const, detail: 'unknown (engine unreachable)' } : row)),
        graph: layoutGraph(projectGraph(project, live)),
      };
    }),
  );
  const drift = sources.drift();
  const snapshot: PageSnapshot = {
    generatedAt: (sources.now?.() ?? new Date()).toISOString(),
    engineConnected: sources.engineConnected(),
    readOnly: sources.readOnly(),
    projects,
    drift: drift === null ? null : { generatedAt: drift.generatedAt, projects: drift.projects },
    backups: await sources.backups().catch(() => []),
    audit: sources.auditLogPath === null ? [] : await readAuditTail(sources.auditLogPath, AUDIT_ENTRIES).catch(() => []),
    git: sources.git(),
  };
  return scrubStrings(snapshot, scrubber(desired, sources.redactor));
}
