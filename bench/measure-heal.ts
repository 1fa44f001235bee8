import { setTimeout as delay } from 'node:timers/promises';
import type { EnginePort } from '../src/engine/engine-port.js';
import { containerIdOf, waitUntilSettled } from './engine-state.js';
import { watchServiceEvents } from './service-events.js';

// Heal time with `composelet run` watching the project: a fault (kill, stop or rm, in turn) hits one
// service; the time is from the engine's `die` event of its container to the `start` event of the
// service's container (the same one, or a new one after rm), both as they arrive here. Faults go to a
// different service each time while there are services left: a service faulted again soon after backs
// off by design (crash-loop protection), which is not what this measures.

export type FaultKind = 'kill' | 'stop' | 'rm';
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'stop', 'rm'];

export interface HealSample {
  service: string;
  fault: FaultKind;
  healMs: number;
}

export interface HealResult {
  samples: HealSample[];
  failures: string[];
}

export async function measureHeal(options: {
  engine: EnginePort;
  projectName: string;
  services: readonly string[];
  faults: number;
  expectedContainers: number;
  timeoutMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
}): Promise<HealResult> {
  const { engine, projectName } = options;
  const events = await watchServiceEvents(engine, projectName);
  const samples: HealSample[] = [];
  const failures: string[] = [];
  try {
    for (let index = 0; index < options.faults; index += 1) {
      options.signal.throwIfAborted();
      const service = options.services[index % options.services.length]!;
      const fault = FAULT_KINDS[index % FAULT_KINDS.length]!;
      try {
        const containerId = await containerIdOf(engine, projectName, service);
        const died = events.next(service, 'die', options.timeoutMs);
        const started = events.next(service, 'start', options.timeoutMs);
        // Either may be left unawaited when the fault itself fails; its rejection is not news then.
        died.catch(() => undefined);
        started.catch(() => undefined);
        await injectFault(engine, containerId, fault);
        const diedAt = await died;
        const healMs = (await started) - diedAt;
        samples.push({ service, fault, healMs });
        await waitUntilSettled(engine, projectName, { expectedContainers: options.expectedContainers, timeoutMs: options.timeoutMs, signal: options.signal });
      } catch (error) {
        if (options.signal.aborted) throw error;
        failures.push(`${fault} ${service}: ${error instanceof Error ? error.message : String(error)}`);
        options.log(`heal: ${failures.at(-1)}`);
      }
      // A breath between faults, so one fault's reconcile is not still running when the next one hits.
      await delay(100, undefined, { signal: options.signal });
    }
  } finally {
    events.close();
  }
  return { samples, failures };
}

async function injectFault(engine: EnginePort, containerId: string, fault: FaultKind): Promise<void> {
  switch (fault) {
    case 'kill':
      return engine.killContainer(containerId, 'SIGKILL');
    case 'stop':
      return engine.stopContainer(containerId, { timeoutSeconds: 10, signal: null });
    case 'rm':
      return engine.removeContainer(containerId, { force: true, removeVolumes: false });
  }
}
