import { describe, expect, it } from 'vitest';
import { countingEngine, type EngineCall } from './counting-engine.js';
import type { EnginePort } from './engine-port.js';

/** Only the methods these tests call; the rest are never touched. */
function fakeEngine(): EnginePort {
  const fake: Partial<EnginePort> = {
    ping: async () => undefined,
    listContainers: async () => [],
    startContainer: async () => undefined,
    removeContainer: async (id) => {
      throw new Error(`no such container: ${id}`);
    },
  };
  return fake as EnginePort;
}

describe('countingEngine', () => {
  it('must count calls per method and pass results through', async () => {
    const counting = countingEngine(fakeEngine());
    await counting.engine.ping();
    await counting.engine.listContainers({ label: ['a=b'] });
    expect(await counting.engine.listContainers({})).toEqual([]);
    expect(counting.counts()).toEqual({ ping: 1, listContainers: 2 });
    expect(counting.mutatingCalls()).toBe(0);
  });

  it('must count mutating calls separately from reads', async () => {
    const counting = countingEngine(fakeEngine());
    await counting.engine.listContainers({});
    await counting.engine.startContainer('web-1');
    await counting.engine.startContainer('web-2');
    expect(counting.mutatingCalls()).toBe(2);
  });

  it('must count errors per method and rethrow them unchanged', async () => {
    const counting = countingEngine(fakeEngine());
    await expect(counting.engine.removeContainer('gone', { force: true, removeVolumes: false })).rejects.toThrow(
      'no such container: gone',
    );
    expect(counting.counts()).toEqual({ removeContainer: 1 });
    expect(counting.errors()).toEqual({ removeContainer: 1 });
    expect(counting.mutatingCalls()).toBe(1);
  });

  it('must start from zero again after reset', async () => {
    const counting = countingEngine(fakeEngine());
    await counting.engine.startContainer('web-1');
    await counting.engine.removeContainer('gone', { force: true, removeVolumes: false }).catch(() => undefined);
    counting.reset();
    expect(counting.counts()).toEqual({});
    expect(counting.errors()).toEqual({});
    expect(counting.mutatingCalls()).toBe(0);
  });

  it('must tell listeners about each settled call until they unsubscribe', async () => {
    const counting = countingEngine(fakeEngine());
    const seen: EngineCall[] = [];
    const unsubscribe = counting.onCall((call) => seen.push(call));
    await counting.engine.startContainer('web-1');
    await counting.engine.removeContainer('gone', { force: true, removeVolumes: false }).catch(() => undefined);
    unsubscribe();
    await counting.engine.ping();
    expect(seen.map(({ method, mutating, error }) => ({ method, mutating, failed: error !== undefined }))).toEqual([
      { method: 'startContainer', mutating: true, failed: false },
      { method: 'removeContainer', mutating: true, failed: true },
    ]);
  });

  it('must hand out the same function for a method each time', () => {
    const counting = countingEngine(fakeEngine());
    expect(counting.engine.ping).toBe(counting.engine.ping);
  });
});
