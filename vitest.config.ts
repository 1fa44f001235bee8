import { defineConfig } from 'vitest/config';

// Two layers: colocated pure tests (fast, no engine) and scenarios against the real Docker engine,
// which `scripts/test.sh` starts before running vitest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/compat/**/*.test.ts'],
          environment: 'node',
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
