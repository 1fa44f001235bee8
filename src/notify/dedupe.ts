import type { EventDescription } from './events.js';

// Deduplication: the same condition notifies at most once an hour; when it ends after it was announced,
// one "resolved" goes out. A one-off with the same key is quiet for an hour too. State is in memory: a
// restarted controller announces a condition that is still there once more.

export type Decision = 'firing' | 'resolved' | null;

interface KeyState {
  /** The condition is on now (as last reported). */
  active: boolean;
  /** A "firing" went out for the current episode. */
  announced: boolean;
  lastFiringAt: number;
}

export class Deduplicator {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly options: { windowMs: number }) {}

  /** What to send for this report at `now`: a firing, a resolved, or nothing. */
  decide(description: Pick<EventDescription, 'key' | 'active'>, now: number): Decision {
    const state = this.keys.get(description.key) ?? { active: false, announced: false, lastFiringAt: Number.NEGATIVE_INFINITY };
    this.keys.set(description.key, state);
    if (description.active === false) {
      const resolved = state.active && state.announced;
      state.active = false;
      state.announced = false;
      return resolved ? 'resolved' : null;
    }
    const quiet = now - state.lastFiringAt < this.options.windowMs;
    if (description.active === null) {
      if (quiet) return null;
      state.lastFiringAt = now;
      return 'firing';
    }
    state.active = true;
    if (quiet) return null;
    state.announced = true;
    state.lastFiringAt = now;
    return 'firing';
  }
}
