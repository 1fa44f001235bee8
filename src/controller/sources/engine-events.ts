import { Observable } from 'rxjs';
import type { EngineEvent, EnginePort } from '../../engine/engine-port.js';
import { createFailureCounter, type BackoffOptions } from '../queue/backoff.js';
import { abortableDelay, type DelayFunction } from './abortable-delay.js';
import { ENGINE_EVENT_FILTERS, engineSignalOf, type EngineSignal } from './engine-signal.js';

// The engine's event stream as project keys, kept open for as long as someone subscribes. When the
// stream ends or cannot be opened, the source reports 'disconnected', waits (capped exponential backoff,
// 500 ms doubling to 30 s; reset by every successful connection) and connects again; a connection that
// follows a failure emits { kind: 'reconnected' }, because events were missed and the controller must
// relist everything before acting. The observable never errors: every failure is a reason to reconnect,
// reported through onStatus. Unsubscribing closes the stream and stops any wait.

export interface EngineEventsOptions {
  engine: Pick<EnginePort, 'events'>;
  /** Waits between connection attempts; tests inject one that does not wait. */
  delay?: DelayFunction;
  /** Reconnect delays; 500 ms doubling up to 30 s unless given. */
  backoff?: BackoffOptions;
  /** 'connected' on every successful connection; 'disconnected' (with the error, if there was one) when
   * the stream ended or could not be opened. */
  onStatus?: (status: 'connected' | 'disconnected', error?: unknown) => void;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };

type EventStream = AsyncIterable<EngineEvent> & { close(): void };

export function engineEvents(options: EngineEventsOptions): Observable<EngineSignal> {
  const delay = options.delay ?? abortableDelay;
  const onStatus = options.onStatus ?? (() => undefined);
  return new Observable<EngineSignal>((subscriber) => {
    const lifetime = new AbortController();
    const reconnects = createFailureCounter<'connection'>(options.backoff ?? DEFAULT_RECONNECT_BACKOFF);
    let stream: EventStream | null = null;

    async function follow(): Promise<void> {
      let missedEvents = false;
      while (!lifetime.signal.aborted) {
        let failure: unknown;
        try {
          const opened = await options.engine.events(ENGINE_EVENT_FILTERS);
          if (lifetime.signal.aborted) {
            opened.close();
            return;
          }
          stream = opened;
          reconnects.forget('connection');
          onStatus('connected');
          if (missedEvents) subscriber.next({ kind: 'reconnected' });
          for await (const event of opened) {
            const signal = engineSignalOf(event);
            if (signal) subscriber.next(signal);
          }
        } catch (error) {
          failure = error;
        } finally {
          stream?.close();
          stream = null;
        }
        if (lifetime.signal.aborted) return;
        missedEvents = true;
        onStatus('disconnected', failure);
        try {
          await delay(reconnects.nextDelay('connection'), lifetime.signal);
        } catch {
          // Aborted: the loop condition ends it. Any other failure to wait: reconnect now.
        }
      }
    }

    follow().catch((error: unknown) => subscriber.error(error));
    return () => {
      lifetime.abort();
      stream?.close();
    };
  });
}
