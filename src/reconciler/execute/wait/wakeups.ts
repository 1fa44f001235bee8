import type { EngineEvent, EnginePort } from '../../../engine/engine-port.js';

// What wakes a waiter: one engine event stream (container events, opened on first use and shared by every
// wait of a run) instead of a fixed polling interval. An event only says "look again": the waiter re-reads
// the engine (level-triggered). A ticket is taken before the read, so an event that arrives while the read
// is in flight is not lost; a backstop timer re-reads anyway in case the stream drops or an event is missed.

export interface Ticket {
  /** Resolves once a matching event arrived after the ticket was taken, the backstop ran out, or `signal` aborted. */
  wait(options: { backstopMs: number; sleep?: (milliseconds: number) => Promise<void>; signal?: AbortSignal }): Promise<void>;
  /** Stops listening without waiting (the condition was met, or the waiter gave up). */
  release(): void;
}

export interface Wakeups {
  /** Listens (opening the stream when none is open) for events of the containers `matches` accepts. */
  ticket(matches: (event: EngineEvent) => boolean): Promise<Ticket>;
  /** false once the engine refused the stream: callers fall back to their polling interval. */
  readonly streaming: boolean;
  close(): void;
}

/** Actions after which a waited-for condition may have changed (`health_status` arrives as
 * `health_status: healthy`; the engine's event filter matches it by that prefix). */
export const WAITER_ACTIONS = ['start', 'die', 'restart', 'oom', 'kill', 'destroy', 'stop', 'pause', 'unpause', 'rename', 'health_status'] as const;

export function concernsWaiters(event: EngineEvent): boolean {
  return event.Type === 'container' && ((WAITER_ACTIONS as readonly string[]).includes(event.Action) || event.Action.startsWith('health_status'));
}

/** The event is about `container`: its name, its id, or an id prefix of at least 12 characters. */
export function concernsContainer(event: EngineEvent, container: string): boolean {
  const id = event.Actor.ID;
  return id === container || event.Actor.Attributes['name'] === container || (container.length >= 12 && id.startsWith(container));
}

interface Listener {
  matches: (event: EngineEvent) => boolean;
  fired: boolean;
  wake: () => void;
}

/** By default the engine sends only the actions waiters look at: not the exec events of every healthcheck run. */
export function createWakeups(engine: EnginePort, filters: { type?: string[]; label?: string[]; event?: string[] } = { type: ['container'], event: [...WAITER_ACTIONS] }): Wakeups {
  const listeners = new Set<Listener>();
  let opening: Promise<void> | null = null;
  let stream: (AsyncIterable<EngineEvent> & { close(): void }) | null = null;
  let streaming = true;
  let closed = false;

  const listen = async (events: AsyncIterable<EngineEvent>) => {
    try {
      for await (const event of events) {
        if (!concernsWaiters(event)) continue;
        for (const listener of listeners) {
          if (!listener.matches(event)) continue;
          listener.fired = true;
          listener.wake();
        }
      }
    } catch {
      // A dropped stream leaves the backstop.
    }
    streaming = false;
  };
  const open = () => {
    opening ??= engine.events(filters).then(
      (opened) => {
        if (closed) return opened.close();
        stream = opened;
        void listen(opened);
      },
      () => {
        streaming = false;
      },
    );
    return opening;
  };

  return {
    get streaming() {
      return streaming;
    },
    async ticket(matches) {
      await open();
      const listener: Listener = { matches, fired: false, wake: () => {} };
      listeners.add(listener);
      return {
        release: () => void listeners.delete(listener),
        wait: ({ backstopMs, sleep, signal }) =>
          new Promise<void>((resolve) => {
            let timer: NodeJS.Timeout | undefined;
            const done = () => {
              if (timer !== undefined) clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              listeners.delete(listener);
              resolve();
            };
            if (listener.fired || signal?.aborted === true) return done();
            listener.wake = done;
            signal?.addEventListener('abort', done, { once: true });
            if (sleep) void sleep(backstopMs).then(done);
            else timer = setTimeout(done, backstopMs);
          }),
      };
    },
    close() {
      closed = true;
      listeners.clear();
      stream?.close();
    },
  };
}
