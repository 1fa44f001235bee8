import { defineConfig } from 'vitest/config';

// Three layers: colocated pure tests (fast, no engine), scenarios against the real Docker engine (which
// `scripts/test.sh` starts before running vitest), and the status page in a real browser.
export default defineConfig({
  test: {
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
          fileParallelism: false,
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
