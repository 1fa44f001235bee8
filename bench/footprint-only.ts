import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { createDockerEngine } from '../src/engine/docker-engine.js';
import { startControllerProcess } from './controller-process.js';
import { sweepProject, waitUntilSettled } from './engine-state.js';
import { measureFootprint } from './measure-footprint.js';
import { DEFAULT_CLI_PATH } from './options.js';
import { median } from './statistics.js';
import { generatedStack } from './stack-documents.js';

// `npx tsx bench/footprint-only.ts [--services 60] [--seconds 60] [--cli PATH]`: only the footprint row: `composelet run`
// (the built CLI, or the main.js given, to compare two builds) on a generated stack it converges itself, then, once the stack is settled, its idle RSS
// and CPU from /proc over the window (bench/measure-footprint.ts). Removes the stack afterwards.

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { services: { type: 'string', default: '60' }, seconds: { type: 'string', default: '60' }, cli: { type: 'string' } } });
  const signal = new AbortController().signal;
  const projectName = `cfoot-${process.pid}`;
  const directory = mkdtempSync(join(tmpdir(), 'composelet-footprint-'));
  const stack = generatedStack(Number(values.services));
  writeFileSync(join(directory, 'compose.yaml'), stringify({ name: projectName, ...stack.document }));
  const engine = createDockerEngine(process.env['DOCKER_HOST'] ? { dockerHost: process.env['DOCKER_HOST'] } : {});
  const environment = { ...process.env };
  delete environment['NODE_EXTRA_CA_CERTS'];
  const timeoutMs = 120_000 + stack.containers * 3_000;
  const controller = await startControllerProcess({ cliPath: values.cli ?? DEFAULT_CLI_PATH, root: directory, resync: '60s', readyTimeoutMs: timeoutMs, signal });
  try {
    await waitUntilSettled(engine, projectName, { expectedContainers: stack.containers, timeoutMs, signal });
    await delay(5_000);
    const samples = await measureFootprint(controller.pid, { durationMs: Number(values.seconds) * 1000, signal });
    process.stdout.write(
      `| ${stack.label} | RSS median ${median(samples.rssMiB).toFixed(1)} MiB (max ${Math.max(...samples.rssMiB).toFixed(1)}) | CPU ${samples.averageCpuPercent.toFixed(2)} % over ${(samples.durationMs / 1000).toFixed(0)} s |\n`,
    );
  } finally {
    await controller.stop();
    await sweepProject(engine, projectName);
    rmSync(directory, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`footprint-only: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
