// Failed token attempts, counted per client address in a fixed window: past `maxFailures` in `windowMs`,
// the address gets 429 until the window ends (even with the right token, so guessing cannot go on at the
// window's pace). The table is bounded; the oldest windows are dropped first. Time is injected.

export interface FailureLimiter {
  /** Null: allowed; else the seconds to wait (Retry-After). */
  blockedFor(address: string): number | null;
  recordFailure(address: string): void;
}

export interface FailureLimiterOptions {
  maxFailures: number;
  windowMs: number;
  now?: () => number;
  /** Addresses tracked at once (default 10 000). */
  maxAddresses?: number;
}

export function createFailureLimiter(options: FailureLimiterOptions): FailureLimiter {
  const now = options.now ?? Date.now;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const windows = new Map<string, { startedAt: number; failures: number }>();
  const current = (address: string) => {
    const window = windows.get(address);
    if (window === undefined || now() - window.startedAt >= options.windowMs) return null;
    return window;
  };
  return {
    blockedFor(address) {
      const window = current(address);
      if (window === null || window.failures < options.maxFailures) return null;
      return Math.max(1, Math.ceil((window.startedAt + options.windowMs - now()) / 1000));
    },
    recordFailure(address) {
      const window = current(address);
      if (window !== null) {
        window.failures += 1;
        return;
      }
      windows.delete(address);
      if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value!);
      windows.set(address, { startedAt: now(), failures: 1 });
    },
  };
}
