import { describe, expect, it } from 'vitest';
import type { ContainerInspect, EngineEvent, EnginePort } from '../../../engine/engine-port.js';
import { monitorContainer } from './monitor-container.js';

// The monitor wakes on the container's engine events; the backstop re-read is set to a minute here, so a
// test that passes in seconds shows the event, not the backstop, ended the wait.

function inspect(status: 'running' | 'exited', exitCode = 0): ContainerInspect {
  return {
    Id: 'c1',
    Name: '/demo-api-1',
    Created: '2026-12-01T00:00:00Z',
    Image: 'sha256:x',
    State: { Status: status, Running: status === 'running', ExitCode: exitCode, StartedAt: '2026-12-01T00:00:01Z', FinishedAt: '' },
    Config: { Image: 'x', Labels: null, Env: null, Cmd: null, Entrypoint: null },
    HostConfig: {},
  } as ContainerInspect;
}

/** An engine whose container dies while the monitor's first read is in flight: the die event arrives
 * before that read answers "running", so only an event that is not lost ends the wait early. */
function engineDyingDuringFirstRead(): { engine: EnginePort; filters: unknown[] } {
  const filters: unknown[] = [];
  let push: (event: EngineEvent) => void = () => {};
  const queue: EngineEvent[] = [];
  let waiting: ((value: IteratorResult<EngineEvent>) => void) | null = null;
  push = (event) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value: event, done: false });
    } else queue.push(event);
  };
  let reads = 0;
  const engine = {
    async events(filter: unknown) {
      filters.push(filter);
      return {
        [Symbol.asyncIterator]: () => ({
          next: () => (queue.length > 0 ? Promise.resolve({ value: queue.shift()!, done: false as const }) : new Promise<IteratorResult<EngineEvent>>((resolve) => (waiting = resolve))),
        }),
        close() {},
      };
    },
    async inspectContainer() {
      reads += 1;
      if (reads === 1) {
        push({ Type: 'container', Action: 'die', Actor: { ID: 'c1', Attributes: {} }, time: 1 });
        await new Promise((resolve) => setTimeout(resolve, 20)); // the event is delivered during the read
        return inspect('running');
      }
      return inspect('exited', 1);
    },
  } as unknown as EnginePort;
  return { engine, filters };
}

describe('monitorContainer', () => {
  it('a die event that lands while a read is in flight must end the wait at once, not at the backstop', { timeout: 10_000 }, async () => {
    const { engine } = engineDyingDuringFirstRead();
    const startedAt = Date.now();
    await expect(monitorContainer(engine, 'c1', { condition: 'running', monitorMs: 60_000, timeoutMs: 60_000, now: Date.now, recheckMs: 60_000 })).rejects.toThrow(/new container exited with code 1/);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it("must ask the engine for that container's events only", { timeout: 10_000 }, async () => {
    const { engine, filters } = engineDyingDuringFirstRead();
    await monitorContainer(engine, 'c1', { condition: 'running', monitorMs: 60_000, timeoutMs: 60_000, now: Date.now, recheckMs: 60_000 }).catch(() => undefined);
    expect(filters).toEqual([{ type: ['container'], container: ['c1'] }]);
  });
});
