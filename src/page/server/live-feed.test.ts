import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLiveFeed } from './live-feed.js';

// The live feed from the idle controller's side: with no page open it must not wake at all.

function fakeResponse(): ServerResponse & { written: string[] } {
  const response = new EventEmitter() as unknown as ServerResponse & { written: string[] };
  response.written = [];
  Object.assign(response, {
    writeHead: () => response,
    write: (chunk: string) => response.written.push(chunk),
    end: () => response.emit('close'),
  });
  return response;
}

describe('live feed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('with no page connected, the feed must keep no timer', () => {
    createLiveFeed({ render: async () => ({ a: 'x' }) });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a connected page must get its periodic refresh and keep-alive, and the timers must stop when the last page leaves', async () => {
    let generation = 0;
    const feed = createLiveFeed({ render: async () => ({ a: `x${generation}` }), periodMs: 5_000, keepAliveMs: 15_000 });
    const response = fakeResponse();
    await feed.attach(response, {});
    expect(vi.getTimerCount()).toBe(2);
    generation = 1;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(response.written.some((chunk) => chunk.includes('x1'))).toBe(true);
    expect(response.written).toContain(': keep-alive\n\n');
    response.emit('close');
    expect(feed.clients()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close must stop every timer', async () => {
    const feed = createLiveFeed({ render: async () => ({ a: 'x' }) });
    await feed.attach(fakeResponse(), {});
    feed.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
