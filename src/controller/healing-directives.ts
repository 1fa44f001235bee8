import type { Project } from '../desired-state/model.js';
import type { ObservedState } from '../reconciler/observe/observed-state.js';
import type { HealingDirectives } from '../reconciler/plan/plan-context.js';
import type { CrashLoopTracker } from './healing/crash-loop.js';
import type { StaleTaskTracker } from './healing/stale-tasks.js';
import type { UnhealthyTracker } from './healing/unhealthy.js';

// What the controller remembers across reconciles turned into planner inputs: services whose starts wait
// for their crash-loop backoff, unhealthy containers past their grace period to restart. Also when to look
// again (the earliest moment a held start or a pending unhealthy restart is due). Containers the engine
// refused to start after its restart (a stale task) are recreated.

export interface HealingInputs {
  directives: HealingDirectives;
  /** Reconcile again after this long, or null. */
  recheckInMs: number | null;
}

const ONE_SHOT = new Set(['no', 'on-failure']);

export function serviceKey(projectName: string, serviceName: string): string {
  return `${projectName}/${serviceName}`;
}

export function healingInputs(
  project: Project,
  observed: ObservedState,
  trackers: { crashLoops: CrashLoopTracker; unhealthy: UnhealthyTracker; staleTasks?: StaleTaskTracker },
  now: number,
  /** Services a backup or restore holds stopped on purpose (its lock is held by a live process). */
  underBackup: ReadonlySet<string> = new Set(),
): HealingInputs {
  const holdStarts: Record<string, string> = {};
  for (const service of underBackup) holdStarts[service] = 'a backup or restore holds it stopped; started again when that finishes';
  const restartContainers: Record<string, string> = {};
  let recheckInMs: number | null = null;
  const recheck = (delay: number) => {
    recheckInMs = recheckInMs === null ? delay : Math.min(recheckInMs, delay);
  };
  const owned = observed.containers.filter((container) => container.owned);
  trackers.unhealthy.retain(new Set(owned.map((container) => container.id)));

  for (const service of Object.values(project.services)) {
    const key = serviceKey(project.name, service.name);
    const containers = owned.filter((container) => container.service === service.name);
    if (service.name in holdStarts) continue;
    if (!service.healing.enabled) {
      holdStarts[service.name] = 'healing is off for this service (x-composelet.healing.enabled: false)';
      continue;
    }
    const oneShot = ONE_SHOT.has(service.restart.name);
    const crashed = containers.filter(
      (container) =>
        container.state === 'dead' || (container.state === 'exited' && !(oneShot && container.exitCode === 0)),
    );
    const decision = trackers.crashLoops.decide(key, now);
    if (crashed.length > 0 && !decision.allowed) {
      holdStarts[service.name] = decision.reason;
      recheck(decision.waitMs);
    }
    if (crashed.length === 0 && containers.length > 0 && containers.every((container) => container.state === 'running')) {
      trackers.crashLoops.recordRunning(key, now, service.healing);
    }
    for (const container of containers) {
      const unhealthyForMs = trackers.unhealthy.observe(container.id, container.health, now);
      const unhealthy = trackers.unhealthy.decide(unhealthyForMs, service.healing);
      if (unhealthy.recheckInMs !== null) recheck(unhealthy.recheckInMs);
      if (!unhealthy.restart) continue;
      if (!decision.allowed) {
        recheck(decision.waitMs);
        continue;
      }
      restartContainers[container.name] = `unhealthy for ${Math.round((unhealthyForMs ?? 0) / 1000)}s`;
    }
  }
  const recreateContainers = trackers.staleTasks?.directives(owned) ?? {};
  return { directives: { holdStarts, restartContainers, recreateContainers }, recheckInMs };
}
