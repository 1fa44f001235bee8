// Wait for a condition by retrying a check, never by sleeping a fixed time: the check either returns
// (its value is the result) or throws (not yet). On timeout the last error is rethrown with how long we
// waited, so a failing test says what it was still waiting for.

export interface EventuallyOptions {
  /** Give up after this long; 10 s unless given. */
  timeoutMs?: number;
  /** Pause between attempts; 100 ms unless given. */
  intervalMs?: number;
  /** What we were waiting for, put in front of the last error. */
  message?: string;
}

export async function eventually<T>(check: () => Promise<T> | T, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const startedAt = Date.now();
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      return await check();
    } catch (error) {
      const elapsedMs = Date.now() - startedAt;
      if (elapsedMs >= timeoutMs) {
        const lastMessage = error instanceof Error ? error.message : String(error);
        const prefix = options.message ? `${options.message}: ` : '';
        throw new Error(`${prefix}still failing after ${elapsedMs} ms (${attempts} attempts): ${lastMessage}`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, timeoutMs - elapsedMs)));
    }
  }
}
