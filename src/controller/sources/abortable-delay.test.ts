import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { abortableDelay } from './abortable-delay.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('abortableDelay', () => {
  it('must resolve once the delay has passed', async () => {
    let resolved = false;
    void abortableDelay(1_000, new AbortController().signal).then(() => {
      resolved = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(resolved).toBe(true);
  });

  it('must reject with the reason and clear its timer when the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = abortableDelay(60_000, controller.signal);
    const reason = new Error('unsubscribed');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('must reject at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(abortableDelay(1_000, controller.signal)).rejects.toThrow('gone');
    expect(vi.getTimerCount()).toBe(0);
  });
});
