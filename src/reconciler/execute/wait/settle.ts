import type { Project } from '../../../desired-state/model.js';
import { hasCompleted, isOneShot } from '../../one-shot.js';
import type { EnginePort } from '../../../engine/engine-port.js';
import { observe } from '../../observe/observe.js';
import type { ObservedContainer, ObservedState } from '../../observe/observed-state.js';

// After a plan ran: wait until every desired replica is running (and healthy when it has a healthcheck),
// or, for a one-shot service, has exited 0. Reads the engine with list calls only.

export interface SettleResult {
  settled: boolean;
  /** service -> what it is still doing, for those not settled. */
  pending: Record<string, string>;
}


export function pendingServices(project: Project, observed: ObservedState): Record<string, string> {
  const pending: Record<string, string> = {};
  for (const service of Object.values(project.services)) {
    const containers = observed.containers.filter((container) => container.owned && container.service === service.name);
    for (let number = 1; number <= service.replicas; number += 1) {
      const container = containers.find((candidate) => candidate.number === number);
      const state = replicaState(container, isOneShot(service));
      if (state !== null) pending[service.name] = state;
    }
  }
  return pending;
}

function replicaState(container: ObservedContainer | undefined, oneShot: boolean): string | null {
  if (!container) return 'missing';
  if (oneShot && hasCompleted(container)) return null;
  if (container.state === 'exited' && oneShot) return `exited (${container.exitCode ?? '?'})`;
  if (container.state !== 'running') return container.state;
  if (container.health === 'starting') return 'health: starting';
  if (container.health === 'unhealthy') return 'unhealthy';
  return null;
}

export async function settle(
  engine: EnginePort,
  project: Project,
  options: { timeoutMs: number; pollIntervalMs?: number; sleep?: (milliseconds: number) => Promise<void>; now?: () => number },
): Promise<SettleResult> {
  const sleep = options.sleep ?? ((milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const pending = pendingServices(project, await observe(engine, project));
    if (Object.keys(pending).length === 0) return { settled: true, pending };
    if (now() >= deadline) return { settled: false, pending };
    await sleep(options.pollIntervalMs ?? 250);
  }
}
