import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { PollSample } from './downtime.js';

// A client asking one published port over and over (HTTP GET every `intervalMs`, each given a second),
// recording every answer and failure with its time. Any HTTP response counts as an answer: the service
// is there; a refused or reset connection (the engine's proxy is up before the server in the container
// listens) does not.

export interface PortPoller {
  url: string;
  /** Resolves once the port has answered (the window starts then); rejects after `timeoutMs`. */
  firstAnswer(timeoutMs: number): Promise<void>;
  /** Waits up to `graceMs` for an answer if the last poll failed, then stops; the samples from the first
   * answer on. */
  stop(graceMs: number): Promise<PollSample[]>;
}

export function pollPort(url: string, options: { intervalMs?: number } = {}): PortPoller {
  const intervalMs = options.intervalMs ?? 25;
  const samples: PollSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const startedAt = performance.now();
      let answered = false;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        answered = true;
      } catch {
        answered = false;
      }
      // Nothing counts before the first answer: the window opens with the service up.
      if (answered || samples.length > 0) samples.push({ at: performance.now(), answered });
      const wait = intervalMs - (performance.now() - startedAt);
      if (wait > 0) await delay(wait);
    }
  })();
  const waitFor = async (ready: () => boolean, timeoutMs: number): Promise<boolean> => {
    const deadline = performance.now() + timeoutMs;
    while (!ready()) {
      if (performance.now() > deadline) return false;
      await delay(intervalMs);
    }
    return true;
  };
  return {
    url,
    async firstAnswer(timeoutMs) {
      if (!(await waitFor(() => samples.length > 0, timeoutMs))) {
        running = false;
        await loop;
        throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
      }
    },
    async stop(graceMs) {
      await waitFor(() => samples.at(-1)?.answered !== false, graceMs);
      running = false;
      await loop;
      return samples;
    },
  };
}
