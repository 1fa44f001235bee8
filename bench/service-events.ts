import { performance } from 'node:perf_hooks';
import type { EngineEvent, EnginePort } from '../src/engine/engine-port.js';
import { COMPOSE_SERVICE, projectFilter } from '../src/reconciler/labels.js';

// The engine's container events for one project, as "when did this service next die / start", stamped
// with the time they arrived here. Waiters are registered before the action that causes the event, so
// an event can never slip by unobserved.

export interface ServiceEvents {
  /** Resolves with the arrival time (performance.now()) of the service's next event with that action. */
  next(service: string, action: 'die' | 'start', timeoutMs: number): Promise<number>;
  close(): void;
}

interface Waiter {
  service: string;
  action: string;
  resolve(arrivedAt: number): void;
  cancel(): void;
}

export async function watchServiceEvents(engine: EnginePort, projectName: string): Promise<ServiceEvents> {
  const stream = await engine.events({ type: ['container'], label: [projectFilter(projectName)] });
  const waiters = new Set<Waiter>();
  const deliver = (event: EngineEvent) => {
    const arrivedAt = performance.now();
    const service = event.Actor.Attributes[COMPOSE_SERVICE];
    for (const waiter of waiters) {
      if (waiter.service === service && waiter.action === event.Action) {
        waiters.delete(waiter);
        waiter.resolve(arrivedAt);
      }
    }
  };
  void (async () => {
    for await (const event of stream) deliver(event);
  })();
  return {
    next(service, action, timeoutMs) {
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${action} event for ${service} within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        const waiter: Waiter = {
          service,
          action,
          resolve: (arrivedAt) => {
            clearTimeout(timer);
            resolve(arrivedAt);
          },
          cancel: () => {
            clearTimeout(timer);
            reject(new Error(`stopped waiting for a ${action} event of ${service}`));
          },
        };
        waiters.add(waiter);
      });
    },
    close() {
      for (const waiter of waiters) waiter.cancel();
      waiters.clear();
      stream.close();
    },
  };
}
