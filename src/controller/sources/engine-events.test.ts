import { describe, expect, it } from 'vitest';
import { EngineUnavailableError } from '../../engine/engine-errors.js';
import type { EngineEvent, EnginePort } from '../../engine/engine-port.js';
import { COMPOSE_PROJECT, OWNED_BY_COMPOSELET } from '../../reconciler/labels.js';
import { engineEvents } from './engine-events.js';
import { ENGINE_EVENT_FILTERS, type EngineSignal } from './engine-signal.js';

// A scripted engine: each events() call takes the next entry of the script (an error to throw, a stream
// that ends at once, or one that stays open until the test ends it); past the script, streams stay open.

type StreamItem = { value: EngineEvent; done: false } | { value: undefined; done: true } | { error: unknown };

class ScriptedStream implements AsyncIterable<EngineEvent> {
  closeCalls = 0;
  private readonly buffered: StreamItem[] = [];
  private waiting: ((item: StreamItem) => void) | null = null;

  push(event: EngineEvent): void {
    this.deliver({ value: event, done: false });
  }
  end(): void {
    this.deliver({ value: undefined, done: true });
  }
  fail(error: unknown): void {
    this.deliver({ error });
  }
  close(): void {
    this.closeCalls += 1;
    this.end();
  }
  private deliver(item: StreamItem): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(item);
    else this.buffered.push(item);
  }
  [Symbol.asyncIterator](): AsyncIterator<EngineEvent> {
    return {
      next: async () => {
        const item = this.buffered.shift() ?? (await new Promise<StreamItem>((resolve) => (this.waiting = resolve)));
        if ('error' in item) throw item.error;
        return item;
      },
    };
  }
}

type ScriptEntry = Error | 'ends' | 'open';

function scriptedEngine(script: ScriptEntry[] = []) {
  const streams: ScriptedStream[] = [];
  const filters: unknown[] = [];
  const engine: Pick<EnginePort, 'events'> = {
    events: async (requested) => {
      filters.push(requested);
      const entry = script.shift() ?? 'open';
      if (entry instanceof Error) throw entry;
      const stream = new ScriptedStream();
      if (entry === 'ends') stream.end();
      streams.push(stream);
      return stream;
    },
  };
  return { engine, streams, filters };
}

function subscribe(engine: Pick<EnginePort, 'events'>, options: { delay?: (delayMs: number, signal: AbortSignal) => Promise<void> } = {}) {
  const signals: EngineSignal[] = [];
  const statuses: Array<[string, unknown]> = [];
  const delays: number[] = [];
  const subscription = engineEvents({
    engine,
    delay:
      options.delay ??
      (async (delayMs) => {
        delays.push(delayMs);
      }),
    onStatus: (status, error) => statuses.push([status, error]),
  }).subscribe((signal) => signals.push(signal));
  return { signals, statuses, delays, subscription };
}

/** Lets the source's promise callbacks run until `condition` holds; no time passes. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 200; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** Gives a source that wrongly kept going the chance to show it. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

function containerEvent(action: string, labels: Record<string, string>, type = 'container'): EngineEvent {
  return { Type: type, Action: action, Actor: { ID: 'c0ffee', Attributes: { name: 'web-1', ...labels } }, time: 1 };
}

const owned = (project: string) => ({ [OWNED_BY_COMPOSELET]: 'true', [COMPOSE_PROJECT]: project });
const unavailable = () => new EngineUnavailableError('unix:///var/run/docker.sock', 'connect ECONNREFUSED');

describe('engineEvents', () => {
  it('must ask the engine for container events of owned objects and emit the projects of relevant ones', async () => {
    const { engine, streams, filters } = scriptedEngine();
    const { signals, statuses, subscription } = subscribe(engine);
    await until(() => streams.length === 1, 'connected');
    const died = containerEvent('die', owned('shop'));
    const unhealthy = containerEvent('health_status: unhealthy', owned('blog'));
    const stream = streams[0]!;
    stream.push(containerEvent('start', owned('shop')));
    stream.push(died);
    stream.push(containerEvent('exec_start: sh -c true', owned('shop')));
    stream.push(containerEvent('die', { [COMPOSE_PROJECT]: 'shop' }));
    stream.push(containerEvent('die', { [OWNED_BY_COMPOSELET]: 'true' }));
    stream.push(containerEvent('disconnect', { container: 'c0ffee', name: 'shop_default' }, 'network'));
    stream.push(unhealthy);
    await until(() => signals.length === 2, 'two signals');
    expect(filters).toEqual([ENGINE_EVENT_FILTERS]);
    expect(signals).toEqual([
      { kind: 'event', project: 'shop', event: died },
      { kind: 'event', project: 'blog', event: unhealthy },
    ]);
    expect(statuses).toEqual([['connected', undefined]]);
    subscription.unsubscribe();
  });

  it('must reconnect when the stream ends and then emit reconnected', async () => {
    const { engine, streams } = scriptedEngine(['ends']);
    const { signals, statuses, delays, subscription } = subscribe(engine);
    await until(() => streams.length === 2, 'reconnected');
    await until(() => signals.length === 1, 'reconnected signal');
    expect(signals).toEqual([{ kind: 'reconnected' }]);
    expect(statuses).toEqual([
      ['connected', undefined],
      ['disconnected', undefined],
      ['connected', undefined],
    ]);
    expect(delays).toEqual([500]);
    streams[1]!.push(containerEvent('oom', owned('shop')));
    await until(() => signals.length === 2, 'event after reconnecting');
    subscription.unsubscribe();
  });

  it('must back off 500 ms doubling to 30 s while connecting fails, and from 500 ms again after a connection', async () => {
    const script: ScriptEntry[] = [...Array.from({ length: 8 }, unavailable), 'ends', unavailable(), 'open'];
    const { engine, streams } = scriptedEngine(script);
    const { signals, delays, statuses, subscription } = subscribe(engine);
    await until(() => streams.length === 2, 'the last connection');
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 500, 1_000]);
    expect(signals).toEqual([{ kind: 'reconnected' }, { kind: 'reconnected' }]);
    expect(statuses[0]).toEqual(['disconnected', expect.any(EngineUnavailableError)]);
    subscription.unsubscribe();
  });

  it('must treat a stream that fails as a disconnection and report the error', async () => {
    const { engine, streams } = scriptedEngine();
    const { statuses, subscription } = subscribe(engine);
    await until(() => streams.length === 1, 'connected');
    const reset = new Error('read ECONNRESET');
    streams[0]!.fail(reset);
    await until(() => streams.length === 2, 'reconnected');
    expect(statuses.slice(0, 2)).toEqual([
      ['connected', undefined],
      ['disconnected', reset],
    ]);
    expect(streams[0]!.closeCalls).toBeGreaterThan(0);
    subscription.unsubscribe();
  });

  it('must close the stream when unsubscribed and not connect again', async () => {
    const { engine, streams, filters } = scriptedEngine();
    const { statuses, subscription } = subscribe(engine);
    await until(() => streams.length === 1, 'connected');
    subscription.unsubscribe();
    expect(streams[0]!.closeCalls).toBeGreaterThan(0);
    await settle();
    expect(filters).toHaveLength(1);
    expect(statuses).toEqual([['connected', undefined]]);
  });

  it('must close a stream that opens only after unsubscribing', async () => {
    let open!: (stream: ScriptedStream) => void;
    const engine: Pick<EnginePort, 'events'> = {
      events: () => new Promise((resolve) => (open = resolve)),
    };
    const { statuses, subscription } = subscribe(engine);
    subscription.unsubscribe();
    const late = new ScriptedStream();
    open(late);
    await until(() => late.closeCalls > 0, 'late stream closed');
    expect(statuses).toEqual([]);
  });

  it('must stop waiting to reconnect when unsubscribed', async () => {
    const { engine, filters } = scriptedEngine([unavailable()]);
    const waits: AbortSignal[] = [];
    const delay = (_delayMs: number, signal: AbortSignal) =>
      new Promise<void>((_resolve, reject) => {
        waits.push(signal);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const { subscription } = subscribe(engine, { delay });
    await until(() => waits.length === 1, 'waiting to reconnect');
    subscription.unsubscribe();
    expect(waits[0]!.aborted).toBe(true);
    await settle();
    expect(filters).toHaveLength(1);
  });
});
