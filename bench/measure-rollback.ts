import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { EngineEvent, EnginePort } from '../src/engine/engine-port.js';
import { projectFilter } from '../src/reconciler/labels.js';
import { runCommand } from './command-runner.js';
import { composeletEnvironment } from './composelet-cli.js';
import { failed, measured, text, type Figure, type Row } from './report-model.js';
import { percentile } from './statistics.js';

// Rollback time: a service runs a good spec; each trial applies a spec whose command exits 1 (a new spec
// every trial, so the failure memory does not refuse it), stop-first so the old container is down while
// the replacement runs. The time is from the engine's `die` of the replacement (what wakes the rollout's
// monitor: the failure detected) to the `start` of the old container (the same id), both as the events
// arrive here. docker-compose has no rollback: its failed container stays down until someone acts.

export const NO_ROLLBACK = 'no rollback: the failed container stays down until an operator acts (no daemon, no old container kept)';

export interface RollbackResult {
  samples: number[];
  failures: string[];
}

const SERVE = `trap 'exit 0' TERM; sleep 86400 & wait`;

function document(projectName: string, command: string): string {
  return [
    `name: ${projectName}`,
    'services:',
    '  api:',
    '    image: composelet/busybox:1',
    '    init: true',
    `    command: ["sh", "-c", ${JSON.stringify(command)}]`,
    '    volumes: [data:/data]',
    '    deploy: { update_config: { order: stop-first, monitor: 1s } }',
    'volumes:',
    '  data: {}',
    '',
  ].join('\n');
}

export async function measureRollback(options: {
  engine: EnginePort;
  cliPath: string;
  trials: number;
  projectName: string;
  signal: AbortSignal;
  log: (line: string) => void;
}): Promise<RollbackResult> {
  const { engine, projectName } = options;
  const directory = mkdtempSync(join(tmpdir(), 'cbench-rollback-'));
  const stateDirectory = join(directory, 'state');
  const composeFile = join(directory, 'compose.yaml');
  const apply = (args: string[] = []) =>
    runCommand(process.execPath, [options.cliPath, 'apply', directory, '--timeout', '60s', ...args], {
      cwd: directory,
      env: { ...composeletEnvironment(), COMPOSELET_STATE_DIR: stateDirectory, COMPOSELET_AUDIT_LOG: join(directory, 'audit.log') },
      timeoutMs: 90_000,
      signal: options.signal,
    }).catch((error: unknown) => {
      // A rolled-back apply exits 1: that is the trial, not a failure of the benchmark.
      if (options.signal.aborted) throw error;
      return null;
    });
  const events: Array<{ event: EngineEvent; arrivedAt: number }> = [];
  const stream = await engine.events({ type: ['container'], label: [projectFilter(projectName)] });
  void (async () => {
    for await (const event of stream) events.push({ event, arrivedAt: performance.now() });
  })().catch(() => undefined);
  const samples: number[] = [];
  const failures: string[] = [];
  try {
    writeFileSync(composeFile, document(projectName, SERVE));
    if ((await apply()) === null) throw new Error('the good spec did not apply');
    for (let trial = 1; trial <= options.trials; trial += 1) {
      options.signal.throwIfAborted();
      const [old] = await engine.listContainers({ label: [projectFilter(projectName)] });
      const oldId = old?.Id;
      if (oldId === undefined) throw new Error('the service has no container');
      writeFileSync(composeFile, document(projectName, `echo trial ${trial}; exit 1`));
      const from = events.length;
      await apply();
      const after = events.slice(from);
      const died = after.find(({ event }) => event.Action === 'die' && event.Actor.ID !== oldId);
      const back = died ? after.find(({ event, arrivedAt }) => event.Action === 'start' && event.Actor.ID === oldId && arrivedAt >= died.arrivedAt) : undefined;
      if (!died || !back) {
        failures.push(`trial ${trial}: ${died ? 'the old container did not start again' : 'the replacement did not die'}`);
        continue;
      }
      samples.push(back.arrivedAt - died.arrivedAt);
      options.log(`rollback trial ${trial}: ${(back.arrivedAt - died.arrivedAt).toFixed(0)} ms`);
    }
  } finally {
    stream.close();
    await runCommand(process.execPath, [options.cliPath, 'down', directory, '--volumes'], { cwd: directory, env: composeletEnvironment(), timeoutMs: 60_000 }).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
  return { samples, failures };
}

/** p50 and p99 of the rollback time, beside docker-compose's missing counterpart. */
export function rollbackRows(result: { ok: true; value: RollbackResult } | { ok: false; error: string }): Row[] {
  const figure = (fraction: number): Figure => {
    if (!result.ok) return failed(result.error);
    const { samples, failures } = result.value;
    if (samples.length === 0) return failed(`no rollback measured: ${failures.slice(0, 2).join('; ')}`);
    return measured('ms', samples, { value: percentile(samples, fraction), note: `${samples.length}/${samples.length + failures.length} trials` });
  };
  const measure = (name: string) => `rollback, from the failed replacement's die to the old container running: ${name}`;
  return [
    { id: 'rollback-p50', stack: 'one service', measure: measure('p50'), composelet: figure(0.5), dockerCompose: text(NO_ROLLBACK) },
    { id: 'rollback-p99', stack: 'one service', measure: measure('p99'), composelet: figure(0.99), dockerCompose: text(NO_ROLLBACK) },
  ];
}

// `npx tsx bench/measure-rollback.ts [TRIALS]`: this measure alone (dist/ built), p50 and p99 printed.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { createDockerEngine } = await import('../src/engine/docker-engine.js');
  const trials = Number(process.argv[2] ?? 20);
  const result = await measureRollback({
    engine: createDockerEngine({}),
    cliPath: resolve('dist/cli/main.js'),
    trials,
    projectName: `cbench-rollback-${process.pid}`,
    signal: new AbortController().signal,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const { samples, failures } = result;
  process.stdout.write(`${samples.length}/${trials} trials; p50 ${percentile(samples, 0.5).toFixed(0)} ms, p99 ${percentile(samples, 0.99).toFixed(0)} ms${failures.length > 0 ? `; failures: ${failures.join('; ')}` : ''}\n`);
}
