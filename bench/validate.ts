import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDesiredState } from '../src/desired-state/load.js';
import { generateStack } from './generate-stack.js';

// How long loading and validating a manifest takes, by size: median and spread over repeated runs.

const sizes = [10, 60, 200, 500];
const runs = 15;
console.log('| services | median ms | min ms | max ms |');
console.log('|---:|---:|---:|---:|');
for (const size of sizes) {
  const directory = mkdtempSync(join(tmpdir(), 'composelet-bench-'));
  writeFileSync(join(directory, 'compose.yaml'), generateStack({ services: size, projectName: 'bench' }));
  loadDesiredState(directory, { environment: {} });
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = loadDesiredState(directory, { environment: {} });
    times.push(performance.now() - started);
    if (!result.ok) throw new Error('generated stack did not validate');
  }
  times.sort((left, right) => left - right);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`| ${size} | ${median.toFixed(1)} | ${times[0]!.toFixed(1)} | ${times.at(-1)!.toFixed(1)} |`);
}
