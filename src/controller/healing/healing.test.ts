import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALING } from '../../desired-state/normalize/normalize-healing.js';
import { CrashLoopTracker, delayAfter } from './crash-loop.js';
import { UnhealthyTracker } from './unhealthy.js';

const settings = DEFAULT_HEALING;

describe('crash-loop backoff', () => {
  it.each([
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [5, 160_000],
    [6, 300_000],
    [20, 300_000],
  ])('after %i restarts the next one must wait %i ms', (restarts, delay) => {
    expect(delayAfter(restarts, settings)).toBe(delay);
  });

  it('the first restart must be allowed at once, the next ones after doubling delays', () => {
    const tracker = new CrashLoopTracker();
    expect(tracker.decide('p/api', 0)).toEqual({ allowed: true });
    tracker.recordRestart('p/api', 0, settings);
    expect(tracker.isCrashLooping('p/api')).toBe(false);
    expect(tracker.decide('p/api', 5_000)).toEqual({ allowed: false, waitMs: 5_000, reason: 'crash-looping (1 restarts): next restart in 5s' });
    expect(tracker.decide('p/api', 10_000)).toEqual({ allowed: true });
    tracker.recordRestart('p/api', 10_000, settings);
    expect(tracker.decide('p/api', 29_999).allowed).toBe(false);
    expect(tracker.decide('p/api', 30_000)).toEqual({ allowed: true });
    expect(tracker.isCrashLooping('p/api')).toBe(true);
  });

  it('restarts over a window must stay bounded by the doubling delays', () => {
    const tracker = new CrashLoopTracker();
    let restarts = 0;
    for (let now = 0; now <= 600_000; now += 1_000) {
      if (tracker.decide('p/api', now).allowed) {
        tracker.recordRestart('p/api', now, settings);
        restarts += 1;
      }
    }
    // at 0, then 10s, 30s, 70s, 150s, 310s: six restarts in ten minutes, where a storm would make hundreds
    expect(restarts).toBe(6);
  });

  it('running past reset_after must end the streak', () => {
    const tracker = new CrashLoopTracker();
    tracker.recordRestart('p/api', 0, settings);
    tracker.recordRestart('p/api', 0, settings);
    tracker.recordRunning('p/api', 599_999, settings);
    expect(tracker.isCrashLooping('p/api')).toBe(true);
    tracker.recordRunning('p/api', 600_000, settings);
    expect(tracker.isCrashLooping('p/api')).toBe(false);
    expect(tracker.decide('p/api', 600_000)).toEqual({ allowed: true });
  });

  it('a tracker started from a snapshot must keep holding back a service in backoff', () => {
    const before = new CrashLoopTracker();
    before.recordRestart('p/api', 0, settings);
    before.recordRestart('p/api', 10_000, settings);
    const after = new CrashLoopTracker(before.snapshot());
    expect(after.decide('p/api', 20_000)).toEqual({ allowed: false, waitMs: 10_000, reason: 'crash-looping (2 restarts): next restart in 10s' });
    expect(after.isCrashLooping('p/api')).toBe(true);
  });

  it('services must back off independently', () => {
    const tracker = new CrashLoopTracker();
    tracker.recordRestart('p/api', 0, settings);
    expect(tracker.decide('p/api', 1).allowed).toBe(false);
    expect(tracker.decide('p/web', 1).allowed).toBe(true);
  });
});

describe('unhealthy restarts', () => {
  it('an unhealthy container must be restarted only after the grace period', () => {
    const tracker = new UnhealthyTracker();
    expect(tracker.decide(tracker.observe('c1', 'unhealthy', 0), settings)).toEqual({ restart: false, recheckInMs: 30_000 });
    expect(tracker.decide(tracker.observe('c1', 'unhealthy', 29_000), settings)).toEqual({ restart: false, recheckInMs: 1_000 });
    expect(tracker.decide(tracker.observe('c1', 'unhealthy', 30_000), settings)).toEqual({ restart: true, recheckInMs: null });
  });

  it('a starting or healthy container must never be restarted, and recovery must reset the clock', () => {
    const tracker = new UnhealthyTracker();
    expect(tracker.decide(tracker.observe('c1', 'starting', 0), settings).restart).toBe(false);
    tracker.observe('c1', 'unhealthy', 0);
    tracker.observe('c1', 'healthy', 20_000);
    expect(tracker.decide(tracker.observe('c1', 'unhealthy', 40_000), settings)).toEqual({ restart: false, recheckInMs: 30_000 });
  });

  it('opting out must leave an unhealthy container alone', () => {
    const tracker = new UnhealthyTracker();
    tracker.observe('c1', 'unhealthy', 0);
    expect(tracker.decide(tracker.observe('c1', 'unhealthy', 60_000), { ...settings, restartUnhealthy: false }).restart).toBe(false);
  });
});
