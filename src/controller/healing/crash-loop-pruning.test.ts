import { describe, expect, it } from 'vitest';
import { CrashLoopTracker, type CrashLoopState } from './crash-loop.js';

// Streaks of services and projects that are gone must not stay in the state file for ever.

const streak: CrashLoopState = { restarts: 2, lastRestartAt: 1_000, nextAllowedAt: 21_000 };
const remembered = { 'shop/api': streak, 'shop/worker': streak, 'shop-old/api': streak, 'blog/web': streak };

describe('pruning crash-loop streaks', () => {
  it.each([
    ['every service still desired', 'shop', ['api', 'worker', 'db'], ['blog/web', 'shop-old/api', 'shop/api', 'shop/worker']],
    ['a service removed from the manifest', 'shop', ['api'], ['blog/web', 'shop-old/api', 'shop/api']],
    ['no service left', 'shop', [], ['blog/web', 'shop-old/api']],
    ['a project whose name prefixes another', 'shop-old', ['web'], ['blog/web', 'shop/api', 'shop/worker']],
  ])('%s: only the streaks of desired services of that project must be kept', (_case, projectName, services, kept) => {
    const tracker = new CrashLoopTracker(remembered);
    tracker.retainServices(projectName, new Set(services));
    expect(Object.keys(tracker.snapshot()).sort()).toEqual(kept);
  });

  it.each([
    ['every project still there', ['shop', 'shop-old', 'blog'], ['blog/web', 'shop-old/api', 'shop/api', 'shop/worker']],
    ['a project gone', ['shop', 'blog'], ['blog/web', 'shop/api', 'shop/worker']],
    ['no project left', [], []],
  ])('%s: only the streaks of those projects must be kept', (_case, projects, kept) => {
    const tracker = new CrashLoopTracker(remembered);
    tracker.retainProjects(new Set(projects));
    expect(Object.keys(tracker.snapshot()).sort()).toEqual(kept);
  });
});
