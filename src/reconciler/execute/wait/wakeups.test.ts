import { describe, expect, it } from 'vitest';
import type { EngineEvent, EnginePort } from '../../../engine/engine-port.js';
import { concernsContainer, concernsWaiters, createWakeups, WAITER_ACTIONS } from './wakeups.js';

const ID = 'a'.repeat(12) + 'b'.repeat(52);

function event(action: string, id = ID, name = 'demo-db-1'): EngineEvent {
  return { Type: 'container', Action: action, Actor: { ID: id, Attributes: { name } }, time: 0 };
}

/** An engine whose event stream the test feeds. */
function streamingEngine(options: { refuse?: boolean } = {}) {
  const queue: EngineEvent[] = [];
  let notify: () => void = () => {};
  let closed = false;
  let opened = 0;
  const engine = {
    async events() {
      opened += 1;
      if (options.refuse) throw new Error('events refused');
      return {
        async *[Symbol.asyncIterator]() {
          while (!closed) {
            const next = queue.shift();
            if (next) yield next;
            else await new Promise<void>((resolve) => (notify = resolve));
          }
        },
        close() {
          closed = true;
          notify();
        },
      };
    },
  } as unknown as EnginePort;
  return {
    engine,
    opened: () => opened,
    push(pushed: EngineEvent) {
      queue.push(pushed);
      notify();
    },
  };
}

describe('wakeups', () => {
  it.each([
    ['start', true],
    ['die', true],
    ['health_status: healthy', true],
    ['health_status: unhealthy', true],
    ['exec_start: true', false],
    ['exec_die', false],
    ['attach', false],
  ])('a %s event must %s wake a waiter, and the engine-side filter must agree', (action, expected) => {
    expect(concernsWaiters(event(action))).toBe(expected);
    // The engine matches `health_status` against `health_status: healthy` (moby's prefix match for it).
    const passedByEngine = (WAITER_ACTIONS as readonly string[]).some((name) => name === action || (name === 'health_status' && action.startsWith('health_status')));
    expect(passedByEngine).toBe(expected);
  });

  it.each([
    ['demo-db-1', true],
    [ID, true],
    [ID.slice(0, 12), true],
    [ID.slice(0, 6), false],
    ['demo-api-1', false],
  ])('an event of demo-db-1 (%s) must concern that reference: %s', (reference, expected) => {
    expect(concernsContainer(event('start'), reference)).toBe(expected);
  });

  it("a wait must wake on its container's event, not another's, long before the backstop", async () => {
    const feed = streamingEngine();
    const wakeups = createWakeups(feed.engine);
    const ticket = await wakeups.ticket((candidate) => concernsContainer(candidate, 'demo-db-1'));
    let woken = false;
    const waiting = ticket.wait({ backstopMs: 60_000 }).then(() => (woken = true));
    feed.push(event('health_status: healthy', 'c'.repeat(64), 'demo-api-1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toBe(false);
    feed.push(event('health_status: healthy'));
    await waiting;
    expect(woken).toBe(true);
    wakeups.close();
  });

  it('an event between taking the ticket and waiting must not be lost', async () => {
    const feed = streamingEngine();
    const wakeups = createWakeups(feed.engine);
    const ticket = await wakeups.ticket(() => true);
    feed.push(event('die'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ticket.wait({ backstopMs: 60_000 });
    wakeups.close();
  });

  it('every ticket of a run must share one event stream', async () => {
    const feed = streamingEngine();
    const wakeups = createWakeups(feed.engine);
    await Promise.all([wakeups.ticket(() => true), wakeups.ticket(() => true), wakeups.ticket(() => true)]);
    expect(feed.opened()).toBe(1);
    wakeups.close();
  });

  it('an engine that refuses the stream must leave the backstop, and say it is not streaming', async () => {
    const feed = streamingEngine({ refuse: true });
    const wakeups = createWakeups(feed.engine);
    const ticket = await wakeups.ticket(() => true);
    expect(wakeups.streaming).toBe(false);
    let slept = 0;
    await ticket.wait({ backstopMs: 250, sleep: async (milliseconds) => void (slept += milliseconds) });
    expect(slept).toBe(250);
  });
});
