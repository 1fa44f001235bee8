import type { HealEvent } from './audit-events.js';

// Time down within the period, estimated honestly as a lower bound ("at least"):
// - the audit log records when a heal's outcome was recorded (the container running again) and how long
//   the heal took, not when the container stopped. Each heal counts its own duration.
// - the engine remembers the last stop of each container (State.FinishedAt) and its last start
//   (State.StartedAt): for a container's latest heal, when the engine's stop falls inside the period and
//   before that start, the gap stop -> start replaces the heal's duration (exact for that outage).
// - a container that should run and does not now is down from its last stop (or the period's start,
//   whichever is later) to the period's end.
// Outages that ended without a heal (the engine's own restart policy) and time held back by crash-loop
// backoff before earlier heals are not counted: the total is a lower bound, never an overstatement.

export interface ContainerTimes {
  /** Epoch ms; null when the engine has none (never stopped, or the zero time). */
  finishedAt: number | null;
  startedAt: number | null;
  running: boolean;
}

export interface DowntimeInputs {
  heals: readonly Pick<HealEvent, 'resource' | 'time' | 'durationMs'>[];
  /** By container name (without `container:`). */
  containers: ReadonlyMap<string, ContainerTimes>;
  /** Containers of the service that should run and do not. */
  downNow: readonly string[];
  period: { since: number; until: number };
}

export function downtimeMs(inputs: DowntimeInputs): number {
  const { since, until } = inputs.period;
  const latest = new Map<string, number>();
  inputs.heals.forEach((heal, index) => {
    const previous = latest.get(heal.resource);
    if (previous === undefined || inputs.heals[previous]!.time <= heal.time) latest.set(heal.resource, index);
  });
  let total = 0;
  inputs.heals.forEach((heal, index) => {
    const times = inputs.containers.get(heal.resource.replace(/^container:/, ''));
    const exact =
      latest.get(heal.resource) === index &&
      times?.finishedAt != null &&
      times.startedAt != null &&
      times.finishedAt >= since &&
      times.finishedAt < times.startedAt &&
      times.startedAt <= heal.time
        ? times.startedAt - times.finishedAt
        : null;
    total += exact ?? heal.durationMs;
  });
  for (const name of inputs.downNow) {
    const stoppedAt = inputs.containers.get(name)?.finishedAt ?? null;
    total += Math.max(0, until - Math.max(since, stoppedAt ?? since));
  }
  return Math.round(total);
}
