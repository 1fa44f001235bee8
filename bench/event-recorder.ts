import { performance } from 'node:perf_hooks';
import type { EnginePort } from '../src/engine/engine-port.js';
import { COMPOSE_SERVICE, projectFilter } from '../src/reconciler/labels.js';
import type { ContainerEvent } from './downtime.js';

// Every `die` and `start` of a project's containers while it records, per service, stamped with the time
// it arrived here (as service-events.ts does for heal times).

export interface EventRecorder {
  /** Stops recording; the events per service. */
  stop(): Map<string, ContainerEvent[]>;
}

export async function recordServiceEvents(engine: EnginePort, projectName: string): Promise<EventRecorder> {
  const stream = await engine.events({ type: ['container'], label: [projectFilter(projectName)] });
  const byService = new Map<string, ContainerEvent[]>();
  void (async () => {
    for await (const event of stream) {
      if (event.Action !== 'die' && event.Action !== 'start') continue;
      const service = event.Actor.Attributes[COMPOSE_SERVICE];
      if (service === undefined) continue;
      const events = byService.get(service) ?? [];
      events.push({ action: event.Action, containerId: event.Actor.ID, at: performance.now() });
      byService.set(service, events);
    }
  })().catch(() => undefined); // the stream ends with an error when closed: nothing to report then
  return {
    stop() {
      stream.close();
      return byService;
    },
  };
}
