import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackoffOptions } from './backoff.js';
import { createWorkQueue, type ReconcileOutcome, type WorkQueueEvent } from './work-queue.js';

// Every reconcile waits until the test finishes it, so the test decides the order of everything; time is
// vitest's fake clock, and `flush()` lets the queue's promise callbacks run.

interface Run {
  key: string;
  signal: AbortSignal;
  finish(outcome: ReconcileOutcome): void;
  reject(error: unknown): void;
}

function harness(options: { concurrency?: number; backoff?: BackoffOptions } = {}) {
  const runs: Run[] = [];
  const events: Array<WorkQueueEvent<string>> = [];
  const queue = createWorkQueue<string>({
    concurrency: options.concurrency ?? 1,
    backoff: options.backoff ?? { baseMs: 1_000, capMs: 4_000 },
    reconcile: (key, signal) =>
      new Promise<ReconcileOutcome>((resolve, reject) => runs.push({ key, signal, finish: resolve, reject })),
    onEvent: (event) => events.push(event),
  });
  const startedKeys = () => runs.map((run) => run.key);
  const run = (index: number): Run => {
    const found = runs[index];
    if (!found) throw new Error(`run ${index} never started; started: ${startedKeys().join(', ') || 'none'}`);
    return found;
  };
  return { queue, runs, events, startedKeys, run };
}

const done: ReconcileOutcome = { kind: 'done' };
const failed: ReconcileOutcome = { kind: 'error', error: new Error('engine unavailable') };

async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createWorkQueue', () => {
  it('must not duplicate a key that is already waiting', async () => {
    const { queue, startedKeys, run } = harness();
    queue.add('web');
    queue.add('api');
    queue.add('api');
    queue.add('api');
    expect(queue.depth()).toBe(1);
    run(0).finish(done);
    await flush();
    run(1).finish(done);
    await flush();
    expect(startedKeys()).toEqual(['web', 'api']);
    expect(queue.depth()).toBe(0);
    expect(queue.inFlight()).toBe(0);
  });

  it('must never run a key twice at once, and run it once more when added while running', async () => {
    const { queue, startedKeys, run } = harness({ concurrency: 4 });
    queue.add('web');
    queue.add('web');
    queue.add('web');
    expect(queue.inFlight()).toBe(1);
    expect(queue.depth()).toBe(0);
    run(0).finish(done);
    await flush();
    expect(startedKeys()).toEqual(['web', 'web']);
    run(1).finish(done);
    await flush();
    expect(startedKeys()).toEqual(['web', 'web']);
  });

  it('must run different keys in parallel up to the concurrency, in the order they were added', async () => {
    const { queue, startedKeys, run } = harness({ concurrency: 2 });
    for (const key of ['web', 'api', 'db']) queue.add(key);
    expect(startedKeys()).toEqual(['web', 'api']);
    expect(queue.inFlight()).toBe(2);
    expect(queue.depth()).toBe(1);
    run(1).finish(done);
    await flush();
    expect(startedKeys()).toEqual(['web', 'api', 'db']);
    expect(queue.inFlight()).toBe(2);
  });

  it('must retry an error after base·2^failures capped, and start from the base again after a success', async () => {
    const { queue, events, startedKeys, run } = harness({ backoff: { baseMs: 1_000, capMs: 4_000 } });
    queue.add('web');
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      run(attempt).finish(failed);
      await flush();
      const requeued = events.at(-1);
      if (requeued?.type !== 'requeued') throw new Error(`expected a requeued event, got ${JSON.stringify(requeued)}`);
      delays.push(requeued.delayMs);
      await vi.advanceTimersByTimeAsync(requeued.delayMs - 1);
      expect(startedKeys()).toHaveLength(attempt + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(startedKeys()).toHaveLength(attempt + 2);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 4_000]);
    expect(queue.failures('web')).toBe(4);
    run(4).finish(done);
    await flush();
    expect(queue.failures('web')).toBe(0);
    queue.add('web');
    run(5).finish(failed);
    await flush();
    expect(events.at(-1)).toEqual({ type: 'requeued', key: 'web', delayMs: 1_000, reason: 'error' });
  });

  it('must treat a rejected reconcile as an error and retry it', async () => {
    const { queue, events, startedKeys, run } = harness();
    queue.add('web');
    const error = new Error('boom');
    run(0).reject(error);
    await flush();
    expect(events).toContainEqual({
      type: 'finished',
      key: 'web',
      outcome: { kind: 'error', error },
      durationMs: 0,
    });
    expect(queue.failures('web')).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(startedKeys()).toEqual(['web', 'web']);
  });

  it('must report a terminal error and not retry it', async () => {
    const { queue, events, startedKeys, run } = harness();
    queue.add('web');
    const terminal: ReconcileOutcome = { kind: 'error', error: new Error('invalid manifest'), terminal: true };
    run(0).finish(terminal);
    await flush();
    expect(events.at(-1)).toEqual({ type: 'finished', key: 'web', outcome: terminal, durationMs: 0 });
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(startedKeys()).toEqual(['web']);
    expect(vi.getTimerCount()).toBe(0);
    expect(queue.failures('web')).toBe(0);
  });

  it('must add the key again once a requeue-after delay has passed', async () => {
    const { queue, events, startedKeys, run } = harness();
    queue.add('web');
    run(0).finish({ kind: 'requeue-after', delayMs: 5_000 });
    await flush();
    expect(events.at(-1)).toEqual({ type: 'requeued', key: 'web', delayMs: 5_000, reason: 'requeue-after' });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(startedKeys()).toEqual(['web']);
    await vi.advanceTimersByTimeAsync(1);
    expect(startedKeys()).toEqual(['web', 'web']);
  });

  it('must keep only the earliest delayed add of a key', async () => {
    const { queue, startedKeys, run } = harness();
    queue.addAfter('web', 5_000);
    queue.addAfter('web', 1_000);
    queue.addAfter('web', 3_000);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(startedKeys()).toEqual(['web']);
    run(0).finish(done);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(startedKeys()).toEqual(['web']);
  });

  it('must cancel the delayed add of a key that runs earlier', async () => {
    const { queue, startedKeys, run } = harness();
    queue.addAfter('web', 5_000);
    queue.add('web');
    expect(vi.getTimerCount()).toBe(0);
    run(0).finish(done);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(startedKeys()).toEqual(['web']);
  });

  it('must rerun a failed key at once when it was added while running, and still count the failure', async () => {
    const { queue, events, startedKeys, run } = harness();
    queue.add('web');
    queue.add('web');
    run(0).finish(failed);
    await flush();
    expect(startedKeys()).toEqual(['web', 'web']);
    expect(events.some((event) => event.type === 'requeued')).toBe(false);
    expect(queue.failures('web')).toBe(1);
    run(1).finish(failed);
    await flush();
    expect(events.at(-1)).toEqual({ type: 'requeued', key: 'web', delayMs: 2_000, reason: 'error' });
  });

  it('must report durations, starts and the queue depth', async () => {
    const { queue, events, run } = harness();
    queue.add('web');
    queue.add('api');
    await vi.advanceTimersByTimeAsync(250);
    run(0).finish(done);
    await flush();
    expect(events.slice(0, 6)).toEqual([
      { type: 'depth', depth: 1 },
      { type: 'depth', depth: 0 },
      { type: 'started', key: 'web' },
      { type: 'depth', depth: 1 },
      { type: 'finished', key: 'web', outcome: done, durationMs: 250 },
      { type: 'depth', depth: 0 },
    ]);
    expect(events[6]).toEqual({ type: 'started', key: 'api' });
  });

  it('must stop taking work on shutdown and resolve once the running reconciles finish', async () => {
    const { queue, startedKeys, run } = harness();
    queue.add('web');
    queue.add('api');
    queue.addAfter('db', 1_000);
    let stopped = false;
    void queue.shutdown({ graceMs: 10_000 }).then(() => {
      stopped = true;
    });
    expect(queue.depth()).toBe(0);
    queue.add('cache');
    queue.addAfter('cache', 10);
    await flush();
    expect(stopped).toBe(false);
    expect(run(0).signal.aborted).toBe(false);
    run(0).finish(failed);
    await flush();
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(startedKeys()).toEqual(['web']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('must abort the signals of reconciles still running when the grace period ends', async () => {
    const { queue, run } = harness({ concurrency: 2 });
    queue.add('web');
    queue.add('api');
    run(0).signal.addEventListener('abort', () => run(0).reject(run(0).signal.reason));
    run(1).signal.addEventListener('abort', () => run(1).finish(done));
    let stopped = false;
    void queue.shutdown({ graceMs: 5_000 }).then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(run(0).signal.aborted).toBe(false);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(run(0).signal.aborted).toBe(true);
    expect(run(1).signal.aborted).toBe(true);
    expect(stopped).toBe(true);
  });

  it('must resolve shutdown at once when nothing runs, and return the same promise when called again', async () => {
    const { queue } = harness();
    const first = queue.shutdown({ graceMs: 1_000 });
    expect(queue.shutdown({ graceMs: 0 })).toBe(first);
    await expect(first).resolves.toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('must refuse a concurrency of %s', (concurrency) => {
    expect(() =>
      createWorkQueue({ concurrency, reconcile: async () => ({ kind: 'done' }) }),
    ).toThrow(RangeError);
  });
});
