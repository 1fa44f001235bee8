import type { HealingSettings } from '../../desired-state/model.js';

// Crash-loop backoff, per service. The first restart of a crashed container happens at once; each further
// restart waits twice as long as the one before, from `initial` to `max`; a service that has stayed up for
// `resetAfter` since its last restart starts afresh. Pure: time comes in as `now`.

export interface CrashLoopState {
  /** Restarts in the current streak. */
  restarts: number;
  lastRestartAt: number;
  /** No restart before this time. */
  nextAllowedAt: number;
}

export type RestartDecision = { allowed: true } | { allowed: false; waitMs: number; reason: string };

const NANOS_PER_MS = 1_000_000;

export function delayAfter(restarts: number, settings: HealingSettings): number {
  if (restarts <= 0) return 0;
  const initialMs = settings.backoff.initialNs / NANOS_PER_MS;
  const maxMs = settings.backoff.maxNs / NANOS_PER_MS;
  return Math.min(maxMs, initialMs * 2 ** (restarts - 1));
}

export class CrashLoopTracker {
  private readonly states: Map<string, CrashLoopState>;

  /** `remembered`: the streaks a previous controller left in the state file. */
  constructor(remembered: Readonly<Record<string, CrashLoopState>> = {}) {
    this.states = new Map(Object.entries(remembered).map(([key, state]) => [key, { ...state }]));
  }

  /** Every streak, for the state file. */
  snapshot(): Record<string, CrashLoopState> {
    return Object.fromEntries([...this.states].map(([key, state]) => [key, { ...state }]));
  }

  /** May this service's crashed container be restarted now? */
  decide(key: string, now: number): RestartDecision {
    const state = this.states.get(key);
    if (!state || now >= state.nextAllowedAt) return { allowed: true };
    const waitMs = state.nextAllowedAt - now;
    return {
      allowed: false,
      waitMs,
      reason: `crash-looping (${state.restarts} restarts): next restart in ${Math.ceil(waitMs / 1000)}s`,
    };
  }

  /** A restart of a crashed container was made (planned and executed). */
  recordRestart(key: string, now: number, settings: HealingSettings): CrashLoopState {
    const previous = this.states.get(key);
    const restarts = (previous?.restarts ?? 0) + 1;
    const state = { restarts, lastRestartAt: now, nextAllowedAt: now + delayAfter(restarts, settings) };
    this.states.set(key, state);
    return state;
  }

  /** The service is up: once it has stayed up `resetAfter` since its last restart, the streak ends. */
  recordRunning(key: string, now: number, settings: HealingSettings): void {
    const state = this.states.get(key);
    if (state && now - state.lastRestartAt >= settings.backoff.resetAfterNs / NANOS_PER_MS) this.states.delete(key);
  }

  /** Crash-looping: restarted more than once in the current streak and held back now or recently. */
  isCrashLooping(key: string): boolean {
    return (this.states.get(key)?.restarts ?? 0) > 1;
  }

  state(key: string): CrashLoopState | undefined {
    return this.states.get(key);
  }

  forget(key: string): void {
    this.states.delete(key);
  }

  /** Drops the project's streaks of services it no longer has (keys are `project/service`). */
  retainServices(projectName: string, services: ReadonlySet<string>): void {
    for (const key of this.states.keys()) {
      const [project, service] = splitKey(key);
      if (project === projectName && !services.has(service)) this.states.delete(key);
    }
  }

  /** Drops the streaks of every project not among these. */
  retainProjects(projectNames: ReadonlySet<string>): void {
    for (const key of this.states.keys()) if (!projectNames.has(splitKey(key)[0])) this.states.delete(key);
  }
}

function splitKey(key: string): [project: string, service: string] {
  const slash = key.indexOf('/');
  return slash < 0 ? [key, ''] : [key.slice(0, slash), key.slice(slash + 1)];
}
