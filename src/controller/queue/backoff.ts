// Capped exponential backoff, as a pure function and as a per-key failure counter. The work queue uses it
// to retry a failing key; the engine event source uses it (with one key) to reconnect. No jitter: delays
// are deterministic so tests can name them, and a single controller has no thundering herd to spread.

export interface BackoffOptions {
  /** The first delay. */
  baseMs: number;
  /** No delay is ever longer than this. */
  capMs: number;
}

/** `baseMs · 2^previousFailures`, at most `capMs`. `previousFailures` is how many failures came before the
 * one being retried: 0 gives `baseMs`, 1 gives twice that, and so on. */
export function exponentialDelay(previousFailures: number, options: BackoffOptions): number {
  const exponent = Number.isFinite(previousFailures) ? Math.max(0, Math.floor(previousFailures)) : 0;
  return Math.min(options.capMs, options.baseMs * 2 ** exponent);
}

export interface FailureCounter<Key> {
  /** Records one more failure of `key` and returns how long to wait before retrying it. */
  nextDelay(key: Key): number;
  /** Success: the next failure of `key` waits `baseMs` again. */
  forget(key: Key): void;
  /** Consecutive failures of `key` since it was last forgotten. */
  failures(key: Key): number;
}

export function createFailureCounter<Key>(options: BackoffOptions): FailureCounter<Key> {
  const counts = new Map<Key, number>();
  return {
    nextDelay(key) {
      const previousFailures = counts.get(key) ?? 0;
      counts.set(key, previousFailures + 1);
      return exponentialDelay(previousFailures, options);
    },
    forget(key) {
      counts.delete(key);
    },
    failures(key) {
      return counts.get(key) ?? 0;
    },
  };
}
