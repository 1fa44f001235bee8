import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { createDockerEngine } from '../src/engine/docker-engine.js';
import { parseDockerHost } from '../src/engine/docker-host.js';
import type { EnginePort } from '../src/engine/engine-port.js';
import { adoptionStack } from './adoption-stack.js';
import type { CliResults } from './cli-rows.js';
import { createCleanup, type Cleanup } from './cleanup.js';
import { composeletDriver } from './composelet-cli.js';
import { legacyComposeDriver } from './legacy-compose.js';
import { availableMemoryGiB, describeMachine } from './machine.js';
import { measureCliStart } from './measure-cli.js';
import { measureExampleCli, measureNoopApply } from './measure-cli-stacks.js';
import { measureController, type ControllerMeasurements } from './measure-controller.js';
import { measureAdoption, type AdoptionResult } from './measure-adopt.js';
import { measureConverge, phase, type ConvergeResult, type Phase } from './measure-converge.js';
import type { FootprintSamples } from './measure-footprint.js';
import type { HealResult } from './measure-heal.js';
import { measureNoopReconcile, type ReconcileSamples } from './measure-reconcile.js';
import { measureRollback } from './measure-rollback.js';
import type { BenchmarkOptions } from './options.js';
import { prebuildImages } from './prebuild.js';
import type { BenchmarkReport } from './report-model.js';
import { buildReport } from './rows.js';
import { startCountingProxy, type CountingProxy } from './socket-proxy.js';
import type { StackDirectory } from './stack-directory.js';
import { exampleStack, generatedStack, type StackDefinition } from './stack-documents.js';
import { renderMarkdown } from './table.js';
import type { ToolDriver } from './tool-driver.js';
import { openToolSession } from './tool-session.js';

// One benchmark run on the real engine: for each stack, composelet's measurements (CLI converge phases,
// in-process no-op reconcile, and where asked the controller's footprint and heal times), then
// docker-compose's on its own copy of the same stack under another project name. Only one project runs
// at a time. Everything created is removed at the end, also on failure or interruption.

export interface StackResult {
  stack: StackDefinition;
  /** The generated stack's size; null for the example. */
  generatedSize: number | null;
  composelet: ConvergeResult;
  reconcile: Phase<ReconcileSamples>;
  footprint: Phase<FootprintSamples> | null;
  heal: Phase<HealResult> | null;
  /** null: not measured on this stack. */
  adoption: AdoptionResult | null;
  dockerCompose: ConvergeResult;
  notes: string[];
}

interface RunContext {
  options: BenchmarkOptions;
  engine: EnginePort;
  proxy: CountingProxy | null;
  cleanup: Cleanup;
  runId: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

export async function runBenchmarks(options: BenchmarkOptions): Promise<{ report: BenchmarkReport; markdown: string }> {
  const log = options.log ?? (() => undefined);
  const signal = options.signal ?? new AbortController().signal;
  if (!existsSync(options.cliPath)) throw new Error(`${options.cliPath} is missing: run npm run build first`);
  const startedAt = new Date();
  const dockerHost = process.env['DOCKER_HOST'];
  const engine = createDockerEngine(dockerHost ? { dockerHost } : {});
  const cleanup = createCleanup(log);
  try {
    const machine = await describeMachine(engine);
    const upstreamSocketPath = parseDockerHost(dockerHost).dockerodeOptions.socketPath;
    const proxy = upstreamSocketPath ? await startCountingProxy({ upstreamSocketPath }) : null;
    if (proxy) cleanup.defer('close the counting proxy', () => proxy.close());
    const context: RunContext = { options, engine, proxy, cleanup, runId: randomBytes(3).toString('hex'), signal, log };

    const skipped: string[] = [];
    if (!proxy) skipped.push('HTTP request counts: DOCKER_HOST is not a unix socket, so the counting proxy cannot stand in front of it');
    const sizes = options.sizes.filter((size) => {
      if (size < options.largeStack.size) return true;
      const available = availableMemoryGiB();
      if (available >= options.largeStack.minimumAvailableGiB) return true;
      skipped.push(`${size} services: ${available.toFixed(1)} GiB of memory available, ${options.largeStack.minimumAvailableGiB} GiB needed`);
      log(`skipping ${size} services: only ${available.toFixed(1)} GiB of memory available`);
      return false;
    });
    const processors = cpus().length;
    const largeStackNotes: string[] = [];
    const generated = sizes.map((size) => {
      const interval = options.largeStack.healthcheckInterval;
      if (size >= options.largeStack.size && interval !== undefined) {
        largeStackNotes.push(`${size} services: healthchecks every ${interval} with a ${interval} timeout (not 1 s) for both tools, so that 50 of them beside ${size} containers leave the machine's cores to the tools and a slow exec is not read as unhealthy`);
        return generatedStack(size, { healthchecks: true, healthcheckInterval: interval });
      }
      const healthchecks = size < options.largeStack.size || processors >= options.largeStack.minimumProcessorsForHealthchecks;
      if (!healthchecks) {
        skipped.push(
          `healthchecks at ${size} services: ${processors} processors (${options.largeStack.minimumProcessorsForHealthchecks} wanted); that stack runs without them, with plain start order`,
        );
      }
      return generatedStack(size, { healthchecks });
    });
    const cli = await measureCli(context);
    const stacks = options.cli.only ? [] : [...(options.includeExample ? [exampleStack(options.exampleDirectory)] : []), ...generated];
    const results: StackResult[] = [];
    for (const stack of stacks) {
      results.push(await benchmarkStack(stack, stack.label === 'example' ? null : stack.containers, context));
    }
    const notes = [
      ...largeStackNotes,
      ...(process.env['NODE_EXTRA_CA_CERTS'] === undefined
        ? []
        : ['NODE_EXTRA_CA_CERTS is set here; composelet ran without it (Node 20 reads that bundle at every process start: about 200 ms on this machine, before any of composelet\'s code)']),
    ];
    const rollback = options.cli.only
      ? null
      : await phase(signal, () =>
          measureRollback({ engine, cliPath: options.cliPath, trials: options.repetitions.fast * 4, projectName: `cbench-rb-${context.runId}`, signal, log }),
        );
    const report = buildReport({ mode: options.mode, startedAt, finishedAt: new Date(), machine, results, cli, skipped, options, notes, rollback });
    return { report, markdown: renderMarkdown(report) };
  } finally {
    const failures = await cleanup.runAll();
    if (failures.length > 0) log(`cleanup left ${failures.length} failures: ${failures.join('; ')}`);
  }
}

async function benchmarkStack(stack: StackDefinition, generatedSize: number | null, context: RunContext): Promise<StackResult> {
  const { options, engine, signal, log, cleanup } = context;
  const tag = generatedSize === null ? 'ex' : `g${generatedSize}`;
  const timeoutMs = 120_000 + stack.containers * 3_000;
  const session = (projectName: string, makeDriver: (projectName: string, directory: StackDirectory) => ToolDriver) =>
    openToolSession({ stack, projectName, engine, cleanup, signal, log, makeDriver });

  const composelet = await session(`cbench-c-${tag}-${context.runId}`, (projectName, directory) =>
    composeletDriver({ cliPath: options.cliPath, projectName, directory, timeoutMs, signal }),
  );
  const composeletRun = await composelet.run(async (driver, document) => {
    if (Object.values(document.services).some((service) => service['build'] !== undefined)) {
      driver.write(document);
      log(`${stack.label}: building the stack's images before timing anything`);
      await prebuildImages(engine, driver.directory.path);
    }
    const converged = await measureConverge(driver, convergeContext({ ...stack, document }, context, timeoutMs));
    const ready = converged.coldReturnedMs.ok;
    const notRun: Phase<never> = { ok: false, error: 'not run: cold converge failed' };
    const reconcile = ready
      ? await phase(signal, () => measureNoopReconcile(engine, driver.directory.path, { repetitions: options.repetitions.fast, signal }))
      : notRun;
    const footprint = generatedSize !== null && options.footprint.stackSizes.includes(generatedSize) ? { durationMs: options.footprint.durationMs } : null;
    const heal = generatedSize !== null && options.heal.stackSize === generatedSize ? { faults: options.heal.faults } : null;
    let controller: ControllerMeasurements = { footprint: null, heal: null };
    if (footprint || heal) {
      controller = ready
        ? await measureController({ engine, cliPath: options.cliPath, driver, stack, footprint, heal, readyTimeoutMs: timeoutMs, cleanup, signal, log })
        : { footprint: footprint ? notRun : null, heal: heal ? notRun : null };
    }
    return { converge: converged, reconcile, ...controller };
  });

  const legacy = await session(`cbench-l-${tag}-${context.runId}`, (projectName, directory) =>
    legacyComposeDriver({ projectName, directory, timeoutMs, signal }),
  );
  const legacyRun = await legacy.run((driver, document) => measureConverge(driver, convergeContext({ ...stack, document }, context, timeoutMs)));

  const adopted = generatedSize === null ? options.adoption.example : options.adoption.stackSizes.includes(generatedSize);
  const adoptionRun = adopted ? await measureAdoptionSession(adoptionStack(stack), tag, timeoutMs, context) : null;

  return {
    stack,
    generatedSize,
    composelet: composeletRun.result.converge,
    reconcile: composeletRun.result.reconcile,
    footprint: composeletRun.result.footprint,
    heal: composeletRun.result.heal,
    adoption: adoptionRun?.result ?? null,
    dockerCompose: legacyRun.result,
    notes: [...composeletRun.result.converge.notes, ...legacyRun.result.notes, ...composeletRun.notes, ...legacyRun.notes, ...(adoptionRun?.notes ?? [])],
  };
}

/** The command-line rows (bench/measure-cli.ts, bench/measure-cli-stacks.ts), before any stack. */
async function measureCli(context: RunContext): Promise<CliResults> {
  const { options, engine, cleanup, signal, log } = context;
  const repetitions = options.cli.commandRepetitions;
  log(`CLI start: --help, --version beside docker-compose's ×${repetitions}`);
  const start = await measureCliStart({ cliPath: options.cliPath, cwd: options.exampleDirectory, repetitions, timeoutMs: 60_000, signal });
  const stackContext = { engine, cliPath: options.cliPath, cleanup, runId: context.runId, repetitions: options.repetitions, commandRepetitions: repetitions, signal, log };
  const example = options.cli.example ? await measureExampleCli(exampleStack(options.exampleDirectory), stackContext) : null;
  const noopApply = [];
  for (const size of options.cli.noopStackSizes) noopApply.push(await measureNoopApply(generatedStack(size), stackContext));
  return { start, example, noopApply };
}

/** A third copy of the stack, started by docker-compose and then taken over (see measure-adopt.ts). */
async function measureAdoptionSession(stack: StackDefinition, tag: string, timeoutMs: number, context: RunContext) {
  const { options, engine, signal, log, cleanup } = context;
  const session = await openToolSession({
    stack,
    projectName: `cbench-a-${tag}-${context.runId}`,
    engine,
    cleanup,
    signal,
    log,
    makeDriver: (projectName, directory) => legacyComposeDriver({ projectName, directory, timeoutMs, signal }),
  });
  return session.run((driver, document) =>
    measureAdoption({ engine, cliPath: options.cliPath, driver, stack: { ...stack, document }, timeoutMs, signal, log }),
  );
}

function convergeContext(stack: StackDefinition, context: RunContext, timeoutMs: number) {
  return {
    engine: context.engine,
    stack,
    repetitions: context.options.repetitions,
    proxy: context.proxy,
    settleTimeoutMs: timeoutMs,
    signal: context.signal,
    log: context.log,
  };
}
