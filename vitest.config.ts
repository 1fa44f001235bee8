import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/longest-first-sequencer.js';

// Three layers: colocated pure tests (fast, no engine), scenarios against the real Docker engine (which
// `scripts/test.sh` starts before running vitest), and the status page in a real browser.
export default defineConfig({
  test: {
    // Several engine files at a time: the longest start first, also in a clean clone with no vitest cache.
    sequence: { sequencer: LongestFirstSequencer },
    // The run's temporary directories under one, removed at the end (test/support/temp-root.ts).
    globalSetup: ['test/support/temp-root.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/compat/**/*.test.ts'],
          environment: 'node',
          // Some unit files start real child processes (git servers, sshd, npm pack): 5 s is too short
          // on a shared 2-core machine; a wait that is wrong still fails, only later.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // The files mostly wait on the engine (starts, stops, healthchecks, controllers reacting): two at
          // a time on 2 cores (COMPOSELET_ENGINE_TEST_WORKERS to try more). Each file uses projects, temp
          // dirs, ports and engines of its own, as it already must beside other runs on the same engine.
          maxWorkers: Number(process.env['COMPOSELET_ENGINE_TEST_WORKERS'] ?? 2),
          // A group of its own (after unit, whose worker count differs): vitest runs groups one by one.
          sequence: { groupOrder: 1 },
        },
      },
      {
        // The status page in Debian's chromium (playwright-core, scripts/ensure-chromium.sh), over a
        // controller from dist/ on the real engine.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // A three-node Swarm per file (scripts/swarm-cluster.sh): its own CI step, with a time limit.
        test: {
          name: 'swarm',
          include: ['test/swarm/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
