import type { ContainerInspect, EngineEvent, EnginePort } from '../../../engine/engine-port.js';

// A rollout's monitor: the replacement must reach its condition (running, or healthy) within the timeout,
// then hold it for the monitor period: no exit, no restart, never unhealthy. Engine events wake it (die,
// restart, health_status, start); each wake re-reads the container (level-triggered: the event only says
// "look again"), and a backstop re-read runs every `recheckMs` in case an event is lost. Failures carry
// the evidence: "new container unhealthy after 12 s: <last healthcheck output>".

export interface MonitorOptions {
  condition: 'running' | 'healthy';
  monitorMs: number;
  timeoutMs: number;
  now: () => number;
  signal?: AbortSignal;
  /** Backstop between two reads when no event came. Default 2000. */
  recheckMs?: number;
}

export class MonitorAbandoned extends Error {}

export async function monitorContainer(engine: EnginePort, container: string, options: MonitorOptions): Promise<void> {
  const startedAt = options.now();
  // This container's events only (the engine keeps every other container's, healthcheck execs included).
  const stream = await engine.events({ type: ['container'], container: [container] }).catch(() => null);
  // Counted, so that an event that lands while a read is in flight is not lost until the backstop: the wait
  // after that read ends at once when the count moved.
  let eventCount = 0;
  let wake: () => void = () => {};
  const listen = async () => {
    if (stream === null) return;
    try {
      for await (const event of stream) {
        if (!concerns(event)) continue;
        eventCount += 1;
        wake();
      }
    } catch {
      // A dropped stream leaves the backstop.
    }
  };
  void listen();
  try {
    let first: ContainerInspect | null = null;
    let metAt: number | null = null;
    for (;;) {
      if (options.signal?.aborted === true) throw new MonitorAbandoned('stopped while monitoring');
      const seenEvents = eventCount;
      const live = await engine.inspectContainer(container);
      first ??= live;
      const elapsed = options.now() - startedAt;
      const failure = failureOf(live, first, options.condition, elapsed);
      if (failure !== null) throw new Error(failure);
      if (metAt === null && conditionMet(live, options.condition)) metAt = options.now();
      if (metAt !== null && options.now() - metAt >= options.monitorMs) return;
      if (metAt === null && elapsed >= options.timeoutMs) {
        throw new Error(`new container not ${options.condition} after ${seconds(elapsed)}${lastHealthOutput(live)}`);
      }
      const until = metAt === null ? startedAt + options.timeoutMs : metAt + options.monitorMs;
      await new Promise<void>((resolve) => {
        if (eventCount !== seenEvents) return resolve();
        const timer = setTimeout(resolve, Math.max(0, Math.min(options.recheckMs ?? 2000, until - options.now())));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        options.signal?.addEventListener('abort', wake, { once: true });
      });
    }
  } finally {
    stream?.close();
  }
}

function concerns(event: EngineEvent): boolean {
  return ['die', 'restart', 'start', 'oom', 'kill', 'destroy'].includes(event.Action) || event.Action.startsWith('health_status');
}

/** Why the replacement failed its rollout now, or null while it holds (pure; tested by tables). */
export function failureOf(live: ContainerInspect, first: ContainerInspect, condition: 'running' | 'healthy', elapsedMs: number): string | null {
  const state = live.State;
  const after = seconds(elapsedMs);
  if (state.Status === 'exited' || state.Status === 'dead') return `new container exited with code ${state.ExitCode} after ${after}${lastHealthOutput(live)}`;
  if (state.Status === 'restarting' || (state.StartedAt !== first.State.StartedAt && first.State.StartedAt !== '')) {
    return `new container restarted after ${after} (exit code ${state.ExitCode})`;
  }
  if (condition === 'healthy' && state.Health?.Status === 'unhealthy') return `new container unhealthy after ${after}${lastHealthOutput(live)}`;
  return null;
}

function conditionMet(live: ContainerInspect, condition: 'running' | 'healthy'): boolean {
  if (!live.State.Running) return false;
  return condition === 'running' || live.State.Health?.Status === 'healthy';
}

/** ": <output>" of the last healthcheck, trimmed to one line of at most 200 characters; "" when none. */
export function lastHealthOutput(live: ContainerInspect): string {
  const log = live.State.Health?.Log ?? [];
  const output = log.at(-1)?.Output?.trim().replace(/\s+/g, ' ') ?? '';
  if (output === '') return '';
  return `: ${output.length > 200 ? `${output.slice(0, 200)}...` : output}`;
}

function seconds(milliseconds: number): string {
  return `${Math.round(milliseconds / 100) / 10} s`;
}
