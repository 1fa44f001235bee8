// Measures how long a service stops answering: polls a URL every `intervalMs` and records the longest time
// between two answered requests. Used by adoption tests and the benchmark ("down at most once, for about
// a stop and a start").

export interface PortPoller {
  /** Stops polling; the longest gap between two answers, in ms, and how many requests failed. */
  stop(): Promise<{ longestGapMs: number; answered: number; failed: number }>;
}

export function pollUrl(url: string, options: { intervalMs?: number } = {}): PortPoller {
  const intervalMs = options.intervalMs ?? 50;
  let running = true;
  let lastAnswer = Date.now();
  let longestGapMs = 0;
  let answered = 0;
  let failed = 0;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const now = Date.now();
        longestGapMs = Math.max(longestGapMs, now - lastAnswer);
        lastAnswer = now;
        answered += 1;
      } catch {
        failed += 1;
      }
      const wait = intervalMs - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      longestGapMs = Math.max(longestGapMs, Date.now() - lastAnswer);
      return { longestGapMs, answered, failed };
    },
  };
}
