import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redactor } from '../redaction/redact.js';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './backoff.js';
import { Deduplicator } from './dedupe.js';
import { describeEvent, type ControllerEvent, type EventDescription } from './events.js';
import { formatRequest, type HttpRequest, type Notification } from './format.js';
import { describeTarget, type NotifyTarget } from './targets.js';

// Sends notifications without ever holding up a reconcile: `notify` decides (dedupe) and enqueues, and
// returns at once. Each target has its own bounded queue and one sender: a full queue drops (counted,
// logged), a failed send is retried with capped backoff, a 4xx other than 429 is not retried. Every text
// and field goes through the redactor first.

export type DeliveryResult = 'sent' | 'failed' | 'dropped';

export type SendRequest = (url: URL, request: HttpRequest, signal: AbortSignal) => Promise<{ status: number }>;

export interface NotifierOptions {
  targets: NotifyTarget[];
  redactor: Redactor;
  logger: { warn(fields: object, message: string): void; debug(fields: object, message: string): void };
  /** Deliveries waiting per target before new ones are dropped (default 100). */
  capacity?: number;
  /** The same condition notifies at most once in this window (default one hour). */
  windowMs?: number;
  retry?: RetryPolicy;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  now?: () => number;
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  send?: SendRequest;
  random?: () => number;
  /** Host name by default. */
  source?: string;
  onResult?: (result: DeliveryResult) => void;
}

export interface Notifier {
  notify(event: ControllerEvent): void;
  /** Resolves when every queue is empty (tests). */
  idle(): Promise<void>;
  /** Stops sending; what is queued is dropped. */
  stop(): Promise<void>;
}

interface Delivery {
  target: NotifyTarget;
  notification: Notification;
}

export const fetchSend: SendRequest = async (url, request, signal) => {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body, signal });
  await response.arrayBuffer().catch(() => undefined);
  return { status: response.status };
};

export function createNotifier(options: NotifierOptions): Notifier {
  const capacity = options.capacity ?? 100;
  const retry = options.retry ?? DEFAULT_RETRY;
  const now = options.now ?? Date.now;
  const delay = options.delay ?? ((ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }));
  const send = options.send ?? fetchSend;
  const source = options.source ?? hostname();
  const dedupe = new Deduplicator({ windowMs: options.windowMs ?? 3_600_000 });
  const stopping = new AbortController();
  const queues = new Map(options.targets.map((target) => [target, [] as Delivery[]]));
  const workers = new Map<NotifyTarget, Promise<void>>();
  const report = (result: DeliveryResult) => options.onResult?.(result);

  function redacted(description: EventDescription): EventDescription {
    // Field redaction: a secret-looking key hides its value, any other keeps it but for URL credentials.
    const fields = Object.fromEntries(Object.entries(description.fields).map(([key, value]) => [key, options.redactor.environmentValue(key, value)]));
    return { ...description, key: options.redactor.text(description.key), title: options.redactor.text(description.title), fields };
  }

  async function deliver(delivery: Delivery): Promise<void> {
    const request = formatRequest(delivery.target.kind, delivery.notification);
    let failure = '';
    for (let attempt = 1; attempt <= retry.attempts && !stopping.signal.aborted; attempt++) {
      try {
        const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]);
        const { status } = await send(delivery.target.url, request, signal);
        if (status >= 200 && status < 300) return report('sent');
        failure = `HTTP ${status}`;
        if (status >= 400 && status < 500 && status !== 429) break;
      } catch (error) {
        failure = (error as Error).message;
      }
      if (attempt < retry.attempts) await delay(retryDelayMs(attempt, retry, options.random), stopping.signal).catch(() => undefined);
    }
    report('failed');
    options.logger.warn({ target: describeTarget(delivery.target), key: delivery.notification.description.key, error: options.redactor.text(failure) }, 'notification not delivered');
  }

  function drain(target: NotifyTarget): void {
    if (workers.has(target)) return;
    const queue = queues.get(target)!;
    const worker = (async () => {
      while (queue.length > 0 && !stopping.signal.aborted) await deliver(queue.shift()!);
      queue.length = 0;
    })().finally(() => workers.delete(target));
    workers.set(target, worker);
  }

  return {
    notify(event) {
      if (stopping.signal.aborted) return;
      const description = describeEvent(event);
      const decision = dedupe.decide(description, now());
      if (decision === null) return;
      const notification: Notification = { status: decision, at: new Date(now()).toISOString(), description: redacted(description), source };
      for (const [target, queue] of queues) {
        if (queue.length >= capacity) {
          report('dropped');
          options.logger.warn({ target: describeTarget(target), key: description.key }, 'notification dropped: the queue is full');
          continue;
        }
        queue.push({ target, notification });
        drain(target);
      }
    },
    async idle() {
      while (workers.size > 0) await Promise.all([...workers.values()]);
    },
    async stop() {
      stopping.abort();
      await Promise.all([...workers.values()]);
    },
  };
}
