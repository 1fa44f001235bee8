import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { FakeEngine } from '../test/support/fake-engine.js';
import { loadDesiredState } from '../src/desired-state/load.js';
import { planProject, runPlan } from '../src/reconciler/converge.js';
import { measureNoopReconcile } from './measure-reconcile.js';
import { median } from './statistics.js';
import { generatedStack } from './stack-documents.js';

// `npx tsx bench/reconcile-scaling.ts [--sizes 10,60,200,500] [--repetitions 7]`: composelet's own cost of a
// no-op reconcile (load, observe, plan; bench/measure-reconcile.ts) per service, from 10 to 500 services,
// against the in-memory fake engine (test/support/fake-engine.ts) holding the converged stack, so the
// engine's own time (list ~10-25 ms here) is left out and what grows is composelet's. Run it under
// `node --cpu-prof` (NODE_OPTIONS) to see where that time goes. Each size is measured twice, loading from
// scratch and through the project cache (src/desired-state/cache/project-cache.ts), as the controller loads.

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10,60,200,500' }, repetitions: { type: 'string', default: '7' } } });
  const lines = [
    '| services | no-op reconcile (median) | per service | CPU (median) | loading from scratch (no project cache) | its CPU | ratio (CPU) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of values.sizes.split(',').map(Number)) {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-scaling-'));
    try {
      const stack = generatedStack(size, { healthchecks: false });
      writeFileSync(join(directory, 'compose.yaml'), stringify({ name: `cscale-${size}`, ...stack.document }));
      const engine = new FakeEngine();
      const loaded = loadDesiredState(directory, { environment: process.env });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues.slice(0, 2)));
      const planned = await planProject(engine, loaded.state.projects[0]!, { prune: false });
      const report = await runPlan(engine, planned, { concurrency: 64 });
      if (report.totals.failed + report.totals.skipped > 0) throw new Error(`converge on the fake engine failed: ${JSON.stringify(report.results.find((result) => result.error))}`);
      const repetitions = Number(values.repetitions);
      const signal = new AbortController().signal;
      const uncached = await measureNoopReconcile(engine, directory, { repetitions, signal, cache: false });
      const samples = await measureNoopReconcile(engine, directory, { repetitions, signal });
      if (samples.operations !== 0) throw new Error(`${size} services: the no-op plan holds ${samples.operations} operations`);
      const milliseconds = median(samples.durationsMs);
      const fromScratch = median(uncached.durationsMs);
      const cpu = median(samples.cpuMs);
      const fromScratchCpu = median(uncached.cpuMs);
      lines.push(
        `| ${size} | ${milliseconds.toFixed(1)} ms | ${((milliseconds / size) * 1000).toFixed(0)} µs | ${cpu.toFixed(1)} ms | ${fromScratch.toFixed(1)} ms | ${fromScratchCpu.toFixed(1)} ms | ${(fromScratchCpu / cpu).toFixed(1)}× |`,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`reconcile-scaling: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
