import type { Project } from '../../../desired-state/model.js';
import { hasCompleted, isOneShot } from '../../one-shot.js';
import type { EnginePort } from '../../../engine/engine-port.js';
import { observe } from '../../observe/observe.js';
import type { ObservedContainer, ObservedState } from '../../observe/observed-state.js';
import { projectFilter } from '../../labels.js';
import { createWakeups, WAITER_ACTIONS } from './wakeups.js';

// After a plan ran: wait until every desired replica is running (and healthy when it has a healthcheck),
// or, for a one-shot service, has exited 0. Reads the engine with list calls only, again whenever one of the
// project's containers has an engine event (start, die, health_status...), and at a backstop interval.

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
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  const wakeups = createWakeups(engine, { type: ['container'], label: [projectFilter(project.name)], event: [...WAITER_ACTIONS] });
  try {
    for (;;) {
      const ticket = await wakeups.ticket(() => true);
      const pending = pendingServices(project, await observe(engine, project));
      const done = Object.keys(pending).length === 0 ? { settled: true, pending } : now() >= deadline ? { settled: false, pending } : null;
      if (done) {
        ticket.release();
        return done;
      }
      const backstopMs = options.pollIntervalMs ?? (wakeups.streaming ? 1000 : 250);
      await ticket.wait({ backstopMs: Math.max(0, Math.min(backstopMs, deadline - now())), ...(options.sleep ? { sleep: options.sleep } : {}) });
    }
  } finally {
    wakeups.close();
  }
}
