import type { ProjectStatus } from '../../controller/project-status.js';
import { adoptionStatusOf, type AdoptionStatus } from '../../controller/adoption-status.js';
import { adoptsItself } from '../../desired-state/normalize/adoption-setting.js';
import { backupStatuses } from '../../backup/index.js';
import { DEFAULT_BACKUP_DESTINATION, type BackupStatus } from '../../backup/index.js';
import { planProject } from '../../reconciler/converge.js';
import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';
import { DEFAULT_METRICS_ADDRESS } from '../../observability/listen-address.js';
import type { GitStatus } from '../../git/git-status.js';
import { renderColumns } from '../columns.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { activeSuspensions, describeSuspension, type Suspension } from '../../operations/suspend/suspension.js';
import { readSuspensions } from '../../operations/suspend/suspension-store.js';
import { defaultStateDir } from '../../state/state-dir.js';
import { failedSpecs, readFailedRollouts, type FailedRollout } from '../../state/failed-rollouts.js';

// `composelet status ROOT`: per project and service, the live state and health, whether it is in sync
// with the manifests (an empty plan for it), and, from a running controller, restarts and backoff. A
// service docker compose runs shows its compose-made containers, as "not adopted" (or "adopting").

export interface ServiceRow {
  project: string;
  service: string;
  state: string;
  health: string;
  /** rolled back: the desired spec failed its rollout, the previous one runs (not retried until it changes). */
  sync: 'in sync' | 'drifted' | 'not adopted' | 'adopting' | 'rolled back' | 'paused';
  restarts: number | null;
  backoff: string;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'show each service: state, health, in sync or drifted, restarts and backoff',
  help: `Usage: composelet status MANIFESTS_ROOT [options]

Prints one row per service: its containers' state and health, whether it is in sync with the manifests
(nothing to do for it in a plan) or drifted, and, when a controller ('composelet run') answers at
--metrics-address, the restarts it made and the backoff of a crash-looping service. A project docker
compose runs and composelet has not adopted shows "not adopted", with how to adopt it.

Options:
${MANIFEST_OPTIONS_HELP}
      --metrics-address ADDR  where the controller serves /status (default ${DEFAULT_METRICS_ADDRESS})
      --state-dir DIR         where suspensions and failed rollouts are kept (default as 'run')
      --json                  rows as JSON
  -h, --help                  show this help`,
  options: { ...manifestOptions, 'metrics-address': { type: 'string' }, json: { type: 'boolean' }, 'state-dir': { type: 'string' } },
  async run(input, io) {
    const state = loadOrThrow(input, io);
    const engine = await connectEngine(io);
    const address = (input.values['metrics-address'] as string | undefined) ?? DEFAULT_METRICS_ADDRESS;
    const controller = await controllerStatus(address);
    const rows: ServiceRow[] = [];
    const adoptions: Record<string, AdoptionStatus> = {};
    const stateDir = (input.values['state-dir'] as string | undefined) ?? defaultStateDir(io.env);
    /** Services whose desired spec failed its rollout, with the evidence (the failure memory, kept in the state dir). */
    const rolledBack: Array<{ project: string; service: string } & FailedRollout> = [];
    for (const project of state.projects) {
      const hashes = Object.fromEntries(Object.values(project.services).map((service) => [service.name, service.specHash]));
      const failed = failedSpecs(await readFailedRollouts(stateDir, project.name).catch(() => ({})), hashes);
      for (const [service, failure] of Object.entries(failed)) rolledBack.push({ project: project.name, service, ...failure });
      const planned = await planProject(engine, project, { prune: false });
      const drifted = new Set(planned.plan.operations.map((operation) => operation.service));
      const live = controller?.projects.find((entry) => entry.projectName === project.name);
      const adopting = live?.adoption?.state === 'adopting' || adoptsItself(project);
      const adoption = adoptionStatusOf(project, planned.observed.containers, { adopt: adopting });
      if (adoption) adoptions[project.name] = adoption;
      for (const service of Object.values(project.services)) {
        const composeMade = adoption?.services[service.name] !== undefined;
        // Under docker compose, the service's containers are the compose-made ones (nothing composelet owns yet).
        const containers = planned.observed.containers.filter(
          (container) => container.service === service.name && (composeMade ? !container.owned && container.labels['com.docker.compose.oneoff'] !== 'True' : container.owned),
        );
        const healing = live?.services[service.name];
        rows.push({
          project: project.name,
          service: service.name,
          state: describeState(containers, service.replicas, service.restart.name === 'no' || service.restart.name === 'on-failure'),
          health: describeHealth(containers),
          sync: syncOf(service.name, {
            drifted,
            adoption,
            rolledBack: new Set(Object.keys(failed)),
            paused: new Set(Object.keys(failed).filter((name) => failed[name]?.state === 'paused')),
          }),
          restarts: healing ? healing.restarts : null,
          backoff: healing?.crashLooping ? `crash-looping, ${healing.backoffSeconds}s` : healing && healing.backoffSeconds > 0 ? `${healing.backoffSeconds}s` : '-',
        });
      }
    }
    const suspensions: Suspension[] = [];
    for (const project of state.projects) suspensions.push(...activeSuspensions(await readSuspensions(stateDir, project.name).catch(() => []), Date.now()));
    const backups = controller?.backups ?? (await backupStatuses(state.projects, { defaultDestination: io.env.COMPOSELET_BACKUP_DIR || DEFAULT_BACKUP_DESTINATION }));
    if (input.values.json) {
      write(io.stdout, JSON.stringify({ controller: controller ? address : null, services: rows, adoption: adoptions, backups, suspensions, rolledBack, ...(controller?.git ? { git: controller.git } : {}) }, null, 2));
      return 0;
    }
    write(io.stdout, renderTable(rows));
    const notes = renderAdoptionNotes(adoptions);
    if (notes !== '') write(io.stdout, `\n${notes}`);
    if (suspensions.length > 0) write(io.stdout, `\n${suspensions.map((entry) => `${entry.project}/${entry.service ?? '*'}: ${describeSuspension(entry)}`).join('\n')}`);
    if (rolledBack.length > 0) {
      write(io.stdout, `\n${rolledBack.map((entry) => entry.state === 'paused' ? `${entry.project}/${entry.service}: rollout paused where it failed (${entry.at}): ${entry.reason}` : `${entry.project}/${entry.service}: running the previous spec, the desired one failed (${entry.at}): ${entry.reason}`).join('\n')}`);
    }
    if (backups.length > 0) write(io.stdout, `\n${renderBackups(backups)}`);
    if (!controller) write(io.stdout, `\n(no controller answered at ${address}: restarts and backoff unknown)`);
    if (controller?.git) write(io.stdout, `\ngit: ${controller.git.summary}`);
    for (const project of controller?.projects ?? []) if (project.gitHeld) write(io.stdout, `\n${project.projectName ?? project.key}: ${project.gitHeld}`);
    for (const project of controller?.projects ?? []) {
      if (!project.manifest.valid) write(io.stdout, `\n${project.key}: last manifest edit is invalid, the last good state is kept:\n  ${project.manifest.issues.join('\n  ')}`);
    }
    return 0;
  },
};

/** A service's SYNC column: under docker compose it is "not adopted" (or "adopting"), else the plan decides. */
export function syncOf(
  serviceName: string,
  context: { drifted: ReadonlySet<string | null>; adoption: AdoptionStatus | null; rolledBack?: ReadonlySet<string>; paused?: ReadonlySet<string> },
): ServiceRow['sync'] {
  if (context.adoption?.services[serviceName] !== undefined) return context.adoption.state === 'adopting' ? 'adopting' : 'not adopted';
  if (context.paused?.has(serviceName) === true) return 'paused';
  if (context.rolledBack?.has(serviceName) === true) return 'rolled back';
  return context.drifted.has(serviceName) ? 'drifted' : 'in sync';
}

/** One paragraph per project docker compose runs: what runs there and how to adopt it. */
export function renderAdoptionNotes(adoptions: Readonly<Record<string, AdoptionStatus>>): string {
  return Object.entries(adoptions)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([project, adoption]) => `${project}: ${adoption.message}`)
    .join('\n');
}

export function renderBackups(backups: readonly BackupStatus[]): string {
  const header = ['PROJECT', 'BACKUP', 'SERVICE', 'LAST SUCCESS', 'DURATION', 'SIZE', 'FAILURES', 'NEXT RUN'];
  const cells = backups.map((backup) => [
    backup.project,
    backup.definition,
    backup.service,
    backup.lastSuccessAt ?? 'never',
    backup.lastDurationMs === null ? '-' : `${(backup.lastDurationMs / 1000).toFixed(1)}s`,
    backup.lastSizeBytes === null ? '-' : `${backup.lastSizeBytes} B`,
    backup.failuresSinceSuccess > 0 ? `${backup.failuresSinceSuccess} (${backup.lastError ?? ''})` : '0',
    backup.nextRunAt ?? '-',
  ]);
  return renderColumns(header, cells);
}

async function controllerStatus(address: string): Promise<{ projects: ProjectStatus[]; backups?: BackupStatus[]; git?: GitStatus } | null> {
  try {
    const response = await fetch(`http://${address}/status`, { signal: AbortSignal.timeout(1_000) });
    if (!response.ok) return null;
    return (await response.json()) as { projects: ProjectStatus[] };
  } catch {
    return null;
  }
}

export function describeState(containers: ObservedContainer[], replicas: number, oneShot: boolean): string {
  if (containers.length === 0) return replicas === 0 ? 'scaled to 0' : 'missing';
  const describe = (container: ObservedContainer) => {
    if (container.state !== 'exited') return container.state;
    return oneShot && container.exitCode === 0 ? 'completed' : `exited (${container.exitCode ?? '?'})`;
  };
  const states = [...new Set(containers.map(describe))];
  const running = containers.filter((container) => container.state === 'running').length;
  return replicas > 1 ? `${running}/${replicas} running` : states.join(', ');
}

export function describeHealth(containers: ObservedContainer[]): string {
  const health = [...new Set(containers.map((container) => container.health).filter((value) => value !== null))];
  return health.length === 0 ? '-' : health.join(', ');
}

export function renderTable(rows: ServiceRow[]): string {
  const header = ['PROJECT', 'SERVICE', 'STATE', 'HEALTH', 'SYNC', 'RESTARTS', 'BACKOFF'];
  const cells = rows.map((row) => [row.project, row.service, row.state, row.health, row.sync, row.restarts === null ? '-' : String(row.restarts), row.backoff]);
  return renderColumns(header, cells);
}
