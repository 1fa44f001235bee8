import { createFailureCounter, type BackoffOptions } from './backoff.js';

// The work queue holds keys, never events (controller-runtime's workqueue): adding a key that is already
// waiting does nothing; a key is never reconciled twice at once — added while running, it is marked dirty
// and runs once more after the current run; different keys run in parallel up to `concurrency`. One
// switch on the outcome: done forgets the key's failures; requeue-after adds it again later; an error
// retries with per-key capped exponential backoff; a terminal error is reported and not retried.
// Delayed adds keep at most one timer per key (the earliest), and a run that starts cancels its key's
// timer: the run re-reads the world, so it covers whatever the timer was waiting for.

export type ReconcileOutcome =
  | { kind: 'done' }
  | { kind: 'requeue-after'; delayMs: number }
  | { kind: 'error'; error: unknown; terminal?: boolean };

export type WorkQueueEvent<Key extends string> =
  | { type: 'started'; key: Key }
  | { type: 'finished'; key: Key; outcome: ReconcileOutcome; durationMs: number }
  /** A timer will add the key again: after an error (backoff) or a requeue-after outcome. */
  | { type: 'requeued'; key: Key; delayMs: number; reason: 'error' | 'requeue-after' }
  /** The number of waiting keys changed. */
  | { type: 'depth'; depth: number };

export interface QueueTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WorkQueueOptions<Key extends string> {
  /** How many different keys may be reconciled at once (at least 1). */
  concurrency: number;
  /** Reconciles one key. A rejection counts as `{ kind: 'error' }`. The signal aborts when shutdown's grace
   * period ends. */
  reconcile: (key: Key, signal: AbortSignal) => Promise<ReconcileOutcome>;
  /** Retry delays after errors; 1 s doubling up to 5 min unless given. */
  backoff?: BackoffOptions;
  /** The global timers unless given. */
  timers?: QueueTimers;
  /** Clock for durations and for comparing delayed adds; Date.now unless given. */
  now?: () => number;
  /** For logs and metrics; called synchronously, must not throw. */
  onEvent?: (event: WorkQueueEvent<Key>) => void;
}

export interface WorkQueue<Key extends string> {
  /** Enqueues `key` unless it is already waiting; if it is running, it runs once more afterwards. */
  add(key: Key): void;
  /** Adds `key` after `delayMs`; with a delayed add already pending for `key`, the earlier one wins. */
  addAfter(key: Key, delayMs: number): void;
  /** Keys waiting to run. */
  depth(): number;
  /** Keys running now. */
  inFlight(): number;
  /** Consecutive failures of `key` (its backoff exponent). */
  failures(key: Key): number;
  /** Stops taking work (adds become no-ops, waiting keys and timers are dropped), aborts the signals of
   * runs still going after `graceMs`, and resolves once every run has finished. */
  shutdown(options: { graceMs: number }): Promise<void>;
}

export const DEFAULT_QUEUE_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 300_000 };

const globalTimers: QueueTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createWorkQueue<Key extends string>(options: WorkQueueOptions<Key>): WorkQueue<Key> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`work queue concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const timers = options.timers ?? globalTimers;
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  const failures = createFailureCounter<Key>(options.backoff ?? DEFAULT_QUEUE_BACKOFF);

  const waiting = new Set<Key>(); // insertion order is FIFO order
  const running = new Map<Key, AbortController>();
  const dirty = new Set<Key>();
  const delayed = new Map<Key, { dueAt: number; handle: unknown }>();
  let stopped: { promise: Promise<void>; resolve: () => void; graceHandle: unknown } | null = null;

  function add(key: Key): void {
    if (stopped) return;
    if (running.has(key)) {
      dirty.add(key);
      return;
    }
    if (waiting.has(key)) return;
    waiting.add(key);
    emit({ type: 'depth', depth: waiting.size });
    drain();
  }

  function addAfter(key: Key, delayMs: number): void {
    if (stopped || waiting.has(key)) return;
    if (!(delayMs > 0)) {
      add(key);
      return;
    }
    const dueAt = now() + delayMs;
    const pending = delayed.get(key);
    if (pending && pending.dueAt <= dueAt) return;
    if (pending) timers.clearTimeout(pending.handle);
    const handle = timers.setTimeout(() => {
      delayed.delete(key);
      add(key);
    }, delayMs);
    delayed.set(key, { dueAt, handle });
  }

  function cancelDelayed(key: Key): void {
    const pending = delayed.get(key);
    if (!pending) return;
    timers.clearTimeout(pending.handle);
    delayed.delete(key);
  }

  function drain(): void {
    while (!stopped && running.size < options.concurrency) {
      const next = waiting.values().next();
      if (next.done) return;
      waiting.delete(next.value);
      emit({ type: 'depth', depth: waiting.size });
      start(next.value);
    }
  }

  function start(key: Key): void {
    cancelDelayed(key);
    const controller = new AbortController();
    running.set(key, controller);
    const startedAt = now();
    emit({ type: 'started', key });
    new Promise<ReconcileOutcome>((resolve) => resolve(options.reconcile(key, controller.signal)))
      .catch((error: unknown): ReconcileOutcome => ({ kind: 'error', error }))
      .then((outcome) => finish(key, outcome, now() - startedAt));
  }

  function finish(key: Key, outcome: ReconcileOutcome, durationMs: number): void {
    running.delete(key);
    emit({ type: 'finished', key, outcome, durationMs });
    const rerun = dirty.delete(key);
    if (!stopped) {
      const retryDelayMs = settle(key, outcome);
      // Added while it ran: run again now; that run decides about any retry, so no timer is needed.
      if (rerun) add(key);
      else if (retryDelayMs !== null) {
        const reason = outcome.kind === 'error' ? 'error' : 'requeue-after';
        emit({ type: 'requeued', key, delayMs: retryDelayMs, reason });
        addAfter(key, retryDelayMs);
      }
      drain();
    }
    if (stopped && running.size === 0) stopped.resolve();
  }

  /** Updates the failure count and returns when to add the key again, or null for never. */
  function settle(key: Key, outcome: ReconcileOutcome): number | null {
    switch (outcome.kind) {
      case 'done':
        failures.forget(key);
        return null;
      case 'requeue-after':
        failures.forget(key);
        return outcome.delayMs;
      case 'error':
        if (outcome.terminal) {
          failures.forget(key);
          return null;
        }
        return failures.nextDelay(key);
    }
  }

  function shutdown(shutdownOptions: { graceMs: number }): Promise<void> {
    if (stopped) return stopped.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((resolvePromise) => {
      resolve = resolvePromise;
    });
    const abortRunning = () => {
      for (const controller of running.values()) controller.abort();
    };
    stopped = {
      promise,
      resolve: () => {
        if (stopped?.graceHandle !== undefined) timers.clearTimeout(stopped.graceHandle);
        resolve();
      },
      graceHandle: undefined,
    };
    const hadWaiting = waiting.size > 0;
    waiting.clear();
    dirty.clear();
    for (const key of [...delayed.keys()]) cancelDelayed(key);
    if (hadWaiting) emit({ type: 'depth', depth: 0 });
    if (running.size === 0) stopped.resolve();
    else if (shutdownOptions.graceMs <= 0) abortRunning();
    else stopped.graceHandle = timers.setTimeout(abortRunning, shutdownOptions.graceMs);
    return promise;
  }

  return {
    add,
    addAfter,
    depth: () => waiting.size,
    inFlight: () => running.size,
    failures: (key) => failures.failures(key),
    shutdown,
  };
}
