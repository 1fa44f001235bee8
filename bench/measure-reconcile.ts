import { performance } from 'node:perf_hooks';
import { ProjectLoadCache } from '../src/desired-state/cache/project-cache.js';
import { loadDesiredState } from '../src/desired-state/load.js';
import { countingEngine } from '../src/engine/counting-engine.js';
import type { EnginePort } from '../src/engine/engine-port.js';
import { planProject } from '../src/reconciler/converge.js';

// The cost of one no-op reconcile as the controller pays it, in-process: read the manifests, observe the
// engine and plan (nothing to execute). The manifests are loaded through a project cache, as the controller
// loads them (an unchanged project is read, not parsed again); `cache: false` loads from scratch. Engine calls are counted by the counting engine wrapper. The
// first pass warms up (module loading, JIT, the engine connection) and is not counted.

export interface ReconcileSamples {
  durationsMs: number[];
  /** CPU time (user + system) of each pass: what a loaded machine's waiting for a core leaves out. */
  cpuMs: number[];
  /** Engine calls of one pass, per method. */
  calls: Record<string, number>;
  /** Operations the plan held (0 for a converged stack). */
  operations: number;
}

export async function measureNoopReconcile(
  engine: EnginePort,
  directory: string,
  options: { repetitions: number; signal: AbortSignal; cache?: boolean },
): Promise<ReconcileSamples> {
  const cache = options.cache === false ? null : new ProjectLoadCache();
  const pass = async (passEngine: EnginePort) => {
    const loaded = loadDesiredState(directory, { environment: process.env, ...(cache ? { cache } : {}) });
    if (!loaded.ok) throw new Error(`${directory}: manifest rejected: ${JSON.stringify(loaded.issues.slice(0, 2))}`);
    const planned = await Promise.all(loaded.state.projects.map((project) => planProject(passEngine, project, { prune: false })));
    return planned.reduce((total, entry) => total + entry.plan.operations.length, 0);
  };
  await pass(engine);
  const durationsMs: number[] = [];
  const cpuMs: number[] = [];
  let calls: Record<string, number> = {};
  let operations = 0;
  for (let run = 0; run < options.repetitions; run += 1) {
    options.signal.throwIfAborted();
    const counted = countingEngine(engine);
    const startedAt = performance.now();
    const cpuBefore = process.cpuUsage();
    operations = await pass(counted.engine);
    const cpu = process.cpuUsage(cpuBefore);
    durationsMs.push(performance.now() - startedAt);
    cpuMs.push((cpu.user + cpu.system) / 1000);
    calls = counted.counts();
  }
  return { durationsMs, cpuMs, calls, operations };
}
