import { performance } from 'node:perf_hooks';
import type { EnginePort } from '../src/engine/engine-port.js';
import { containerIdOf, sweepProject, waitUntilSettled } from './engine-state.js';
import type { Repetitions } from './options.js';
import type { CountingProxy, RequestCounts } from './socket-proxy.js';
import { memoryBytes, memoryLimitOf, withEnvironment, withMemoryLimit, type StackDefinition } from './stack-documents.js';
import type { ToolDriver } from './tool-driver.js';

// The converge measurements, the same for both tools on the same stack: cold converge (nothing to
// everything running and healthy; reported when the command returns and when the engine says so), no-op
// converge (time, and HTTP requests through the counting proxy), one service's environment changed, and
// one service's memory limit changed (time, and whether its container was recreated). Every phase
// reports its own failure; a phase after a failed cold converge is not run.

export type Phase<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ConvergeResult {
  coldReturnedMs: Phase<number[]>;
  coldSettledMs: Phase<number[]>;
  noopMs: Phase<number[]>;
  noopRequests: Phase<RequestCounts | null>;
  changeEnvironmentMs: Phase<number[]>;
  changeLimitMs: Phase<number[]>;
  limitRecreated: Phase<boolean[]>;
  notes: string[];
}

export interface ConvergeContext {
  engine: EnginePort;
  stack: StackDefinition;
  repetitions: Repetitions;
  proxy: CountingProxy | null;
  settleTimeoutMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Runs every phase; leaves the stack converged on the last document it wrote. */
export async function measureConverge(driver: ToolDriver, context: ConvergeContext): Promise<ConvergeResult> {
  const { engine, stack, signal } = context;
  const notes: string[] = [];
  const settle = () => waitUntilSettled(engine, driver.projectName, { expectedContainers: stack.containers, timeoutMs: context.settleTimeoutMs, signal });
  const step = (what: string) => context.log(`${stack.label} ${driver.tool}: ${what}`);
  let document = stack.document;

  const coldReturned: number[] = [];
  const coldSettled: number[] = [];
  const cold = await phase(signal, async () => {
    for (let run = 0; run < context.repetitions.cold; run += 1) {
      const stuck = await sweepProject(engine, driver.projectName);
      if (stuck.length > 0) notes.push(`${stack.label} ${driver.tool}: the engine would not remove ${stuck.join(', ')} (stale endpoints); cold converge ${run + 1} reused it`);
      driver.write(document);
      step(`cold converge ${run + 1}/${context.repetitions.cold}`);
      const returnedMs = await driver.converge();
      const settledMs = returnedMs + (await settle());
      coldReturned.push(returnedMs);
      coldSettled.push(settledMs);
    }
    return coldReturned;
  });
  const notRun: Phase<never> = { ok: false, error: `not run: cold converge failed${cold.ok ? '' : ` (${cold.error})`}` };
  if (!cold.ok) {
    return { coldReturnedMs: cold, coldSettledMs: cold, noopMs: notRun, noopRequests: notRun, changeEnvironmentMs: notRun, changeLimitMs: notRun, limitRecreated: notRun, notes };
  }

  const noopMs = await phase(signal, async () => {
    step(`no-op converge ×${context.repetitions.fast}`);
    return repeat(context.repetitions, () => driver.converge());
  });
  const noopRequests = await phase(signal, async () => {
    if (!context.proxy) return null;
    step('no-op converge through the counting proxy');
    context.proxy.reset();
    await driver.converge({ dockerHost: context.proxy.dockerHost });
    const counts = context.proxy.counts();
    const mutating = Object.keys(counts.byEndpoint).filter((endpoint) => !endpoint.startsWith('GET ') && !endpoint.startsWith('HEAD '));
    if (mutating.length > 0) notes.push(`${stack.label} ${driver.tool}: the no-op converge made ${counts.mutating} mutating request(s): ${mutating.join(', ')}`);
    return counts;
  });

  const changeEnvironmentMs = await phase(signal, async () => {
    step(`one service's environment changed ×${context.repetitions.fast}`);
    return repeat(context.repetitions, async (run) => {
      document = withEnvironment(document, stack.changeTarget, 'BENCH_REVISION', String(run));
      driver.write(document);
      const before = await containerIdOf(engine, driver.projectName, stack.changeTarget);
      const elapsedMs = (await driver.converge()) + (await settle());
      if ((await containerIdOf(engine, driver.projectName, stack.changeTarget)) === before) {
        notes.push(`${stack.label} ${driver.tool}: an environment change left ${stack.changeTarget}'s container in place`);
      }
      return elapsedMs;
    });
  });

  const recreated: boolean[] = [];
  // Two limits, neither the one the container was created with, taken in turn: every run is a change.
  const originalLimit = memoryLimitOf(stack.document, stack.changeTarget);
  const limits = ['96m', '80m', '64m'].filter((limit) => limit !== originalLimit).slice(0, 2);
  const changeLimitMs = await phase(signal, async () => {
    step(`mem_limit changed (${originalLimit} -> ${limits.join(' <-> ')}) ×${context.repetitions.fast}`);
    return repeat(context.repetitions, async (run) => {
      const limit = limits[(run - 1) % limits.length]!;
      document = withMemoryLimit(document, stack.changeTarget, limit);
      driver.write(document);
      const before = await containerIdOf(engine, driver.projectName, stack.changeTarget);
      const elapsedMs = (await driver.converge()) + (await settle());
      const after = await containerIdOf(engine, driver.projectName, stack.changeTarget);
      recreated.push(after !== before);
      const memory = (await engine.inspectContainer(after)).HostConfig.Memory;
      if (memory !== memoryBytes(limit)) notes.push(`${stack.label} ${driver.tool}: memory limit is ${memory} bytes after changing it to ${limit}`);
      return elapsedMs;
    });
  });

  return {
    coldReturnedMs: cold,
    coldSettledMs: { ok: true, value: coldSettled },
    noopMs,
    noopRequests,
    changeEnvironmentMs,
    changeLimitMs,
    limitRecreated: changeLimitMs.ok ? { ok: true, value: recreated } : changeLimitMs,
    notes,
  };
}

/** Runs `measure` (given the run number, from 1) `repetitions.fast` times, or fewer, though never fewer
 * than `repetitions.minimumWhenSlow`, once the runs so far took longer than `repetitions.phaseBudgetMs`. */
export async function repeat(repetitions: Repetitions, measure: (run: number) => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  const startedAt = performance.now();
  for (let run = 1; run <= repetitions.fast; run += 1) {
    samples.push(await measure(run));
    if (samples.length >= repetitions.minimumWhenSlow && performance.now() - startedAt > repetitions.phaseBudgetMs) break;
  }
  return samples;
}

/** Runs one phase; a failure is its result (an interruption is not: it ends the run). */
export async function phase<T>(signal: AbortSignal, work: () => Promise<T>): Promise<Phase<T>> {
  signal.throwIfAborted();
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
