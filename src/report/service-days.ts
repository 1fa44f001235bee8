import type { ContainerBrief, ServiceDrift } from '../drift/model.js';
import { countCrashLoops, type HealEvent } from './audit-events.js';
import { downtimeMs, type ContainerTimes } from './downtime.js';
import type { ServiceDay } from './model.js';

// One row per service: its state and health now (drift report and engine), and what the period held for
// it (heals, restarts, crash loops, time down). Pure.

export interface ServiceDayInputs {
  project: string;
  drift: ServiceDrift;
  /** By container name: health status ("none" without a health check) and start/stop times. */
  containers: ReadonlyMap<string, ContainerTimes & { health: string }>;
  heals: readonly HealEvent[];
  period: { since: number; until: number };
}

const DOWN_STATUSES = new Set(['missing', 'stopped']);

export function serviceDay(inputs: ServiceDayInputs): ServiceDay {
  const { drift } = inputs;
  const mine = inputs.heals.filter((heal) => heal.project === inputs.project && heal.service === drift.name);
  const heals = mine.filter((heal) => heal.kind === 'heal');
  const downNow = DOWN_STATUSES.has(drift.status);
  const stopped = drift.containers.filter((container) => container.owned && container.state !== 'running').map((container) => container.name);
  return {
    project: inputs.project,
    service: drift.name,
    status: drift.status,
    state: describeStates(drift.containers, drift.replicas),
    health: describeHealth(drift.containers.map((container) => inputs.containers.get(container.name)?.health ?? 'none')),
    heals: heals.length,
    restarts: mine.length - heals.length,
    crashLoops: countCrashLoops(heals.map((heal) => heal.time)),
    downMs: downtimeMs({ heals: mine, containers: inputs.containers, downNow: downNow ? stopped : [], period: inputs.period }),
    downNow,
  };
}

/** "running", "2 running", "1 running, 1 exited", "missing" (wanted, no container). */
export function describeStates(containers: readonly Pick<ContainerBrief, 'state'>[], replicas: number): string {
  if (containers.length === 0) return replicas > 0 ? 'missing' : 'none';
  const tally = new Map<string, number>();
  for (const container of containers) tally.set(container.state, (tally.get(container.state) ?? 0) + 1);
  if (tally.size === 1 && containers.length === 1) return containers[0]!.state;
  return [...tally].sort(([left], [right]) => left.localeCompare(right)).map(([state, count]) => `${count} ${state}`).join(', ');
}

/** The worst health of the containers: unhealthy, starting, healthy, else none. */
export function describeHealth(healths: readonly string[]): string {
  for (const health of ['unhealthy', 'starting', 'healthy']) if (healths.includes(health)) return health;
  return 'none';
}
