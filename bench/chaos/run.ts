import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { runCommand } from '../command-runner.js';
import { repositoryRoot, RESULTS_DIRECTORY } from '../options.js';
import type { EnginePort } from '../../src/engine/engine-port.js';
import { CHAOS_USAGE, parseChaosArguments } from './options.js';
import { onPrivateChaosEngine, type ChaosEngineOptions } from './private-chaos-engine.js';
import { renderChaosMarkdown, runChaos } from './suite.js';

// `npm run chaos -- [--faults N] [--seed S] [--engine private]`: set up the engine, images and a fresh
// build, run the chaos suite (with --engine private on a dockerd of its own, which it may restart), print
// the table, and write bench/results/chaos-<time>.json and bench/results/chaos-latest.md. Ctrl-C stops it
// and removes what it created.

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseChaosArguments>;
  try {
    parsed = parseChaosArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${CHAOS_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(CHAOS_USAGE);
    return 0;
  }
  const startedAt = Date.now();
  const log = (line: string) => process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const interruption = new AbortController();
  process.once('SIGINT', () => {
    log('interrupted: removing what the run created');
    interruption.abort(new Error('interrupted'));
    process.once('SIGINT', () => process.exit(130));
  });
  if (!parsed.skipSetup) {
    for (const [what, file, args] of [
      ['engine', 'bash', ['scripts/ensure-engine.sh']],
      ['images', 'bash', ['scripts/build-images.sh']],
      ['build', 'npm', ['run', '--silent', 'build']],
    ] as Array<[string, string, string[]]>) {
      log(`set-up: ${what}`);
      await runCommand(file, args, { cwd: repositoryRoot, env: process.env, timeoutMs: 600_000, signal: interruption.signal });
    }
  }
  const seed = parsed.seed ?? randomBytes(4).readUInt32BE(0);
  const dockerHost = process.env['DOCKER_HOST'];
  const runOn = (engine: ChaosEngineOptions | { engine: EnginePort }) =>
    runChaos({
      ...engine,
      cliPath: join(repositoryRoot, 'dist/cli/main.js'),
      seed,
      faults: parsed.faults,
      services: parsed.services,
      kinds: parsed.kinds,
      burstSize: parsed.burstSize,
      budgetMs: parsed.budgetMs,
      convergeTimeoutMs: parsed.convergeTimeoutMs,
      resync: '5s',
      pollMs: 200,
      signal: interruption.signal,
      log,
    });
  const report =
    parsed.engine === 'private'
      ? await onPrivateChaosEngine(log, runOn)
      : await runOn({ engine: createDockerEngine(dockerHost === undefined ? {} : { dockerHost }) });
  const markdown = renderChaosMarkdown(report);
  process.stdout.write(`\n${markdown}`);
  mkdirSync(RESULTS_DIRECTORY, { recursive: true });
  const file = join(RESULTS_DIRECTORY, `chaos-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIRECTORY, 'chaos-latest.md'), markdown);
  log(`written: ${file} and bench/results/chaos-latest.md (rerun with --seed ${seed})`);
  const { totals } = report;
  return totals.duplicates + totals.dataLost + totals.notHealed + totals.strays + totals.oneShotReruns + totals.brokenAuditLines === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
