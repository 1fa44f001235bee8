import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadDesiredState } from '../src/desired-state/load.js';
import { countingEngine } from '../src/engine/counting-engine.js';
import { createDockerEngine } from '../src/engine/docker-engine.js';
import { planProject, runPlan } from '../src/reconciler/converge.js';
import { settle } from '../src/reconciler/execute/wait/settle.js';
import type { Operation } from '../src/reconciler/plan/plan.js';
import { sweepProject } from './engine-state.js';
import { generatedStack } from './stack-documents.js';

// `npx tsx bench/trace-converge.ts [--services 60] [--concurrency N]`: one cold converge of a generated
// stack in-process, as `apply` runs it (load, observe and plan, execute, settle), traced: each step's wall
// time split into engine time (at least one engine call in flight), health-wait time (no call in flight,
// a wait for a healthcheck pending) and composelet time (neither: composelet's own work and scheduling),
// and per operation kind the count and median duration. Where the time of a cold converge goes.

interface Interval {
  from: number;
  to: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { services: { type: 'string', default: '60' }, concurrency: { type: 'string' } } });
  const projectName = `ctrace-${process.pid}`;
  const directory = mkdtempSync(join(tmpdir(), 'composelet-trace-'));
  const stack = generatedStack(Number(values.services));
  writeFileSync(join(directory, 'compose.yaml'), stringify({ name: projectName, ...stack.document }));
  const counted = countingEngine(createDockerEngine(process.env['DOCKER_HOST'] ? { dockerHost: process.env['DOCKER_HOST'] } : {}));
  const engineCalls: Interval[] = [];
  counted.onCall((call) => {
    if (call.method === 'events') return;
    const to = performance.now();
    engineCalls.push({ from: to - call.durationMs, to });
  });
  const waits: Interval[] = [];
  const operations: Array<{ operation: Operation; from: number; to: number }> = [];
  const started = new Map<number, number>();
  const steps: Array<{ step: string; from: number; to: number }> = [];
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const from = performance.now();
    try {
      return await work();
    } finally {
      steps.push({ step: name, from, to: performance.now() });
    }
  };
  try {
    const loaded = await step('load', async () => loadDesiredState(directory, { environment: process.env }));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues.slice(0, 2)));
    const project = loaded.state.projects[0]!;
    const planned = await step('observe + plan', () => planProject(counted.engine, project, { prune: false }));
    const report = await step('execute', () =>
      runPlan(counted.engine, planned, {
        ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
        onEvent: (event) => {
          if (event.type === 'started') return void started.set(event.operation.id, performance.now());
          const from = started.get(event.operation.id);
          if (from === undefined) return;
          operations.push({ operation: event.operation, from, to: performance.now() });
          if (event.operation.kind === 'wait') waits.push({ from, to: performance.now() });
        },
      }),
    );
    const settled = await step('settle', () => settle(counted.engine, project, { timeoutMs: 300_000 }));
    if (report.totals.failed + report.totals.skipped > 0 || !settled.settled) throw new Error(`converge failed: ${JSON.stringify(report.results.filter((result) => result.status === "failed"))} ${JSON.stringify(settled.pending)}`);
    const total = steps.at(-1)!.to - steps[0]!.from;
    const lines = [`cold converge of ${stack.label}, in-process: ${seconds(total)}`, '', '| step | wall | engine | health wait | composelet |', '|---|---:|---:|---:|---:|'];
    for (const { step: name, from, to } of steps) {
      const engine = covered(engineCalls, from, to);
      const health = covered(waits, from, to, engineCalls);
      lines.push(`| ${name} | ${seconds(to - from)} | ${seconds(engine)} | ${seconds(health)} | ${seconds(to - from - engine - health)} |`);
    }
    lines.push('', '| operation | count | median | max |', '|---|---:|---:|---:|');
    const kinds = [...new Set(operations.map((entry) => entry.operation.kind))].sort();
    for (const kind of kinds) {
      const durations = operations.filter((entry) => entry.operation.kind === kind).map((entry) => entry.to - entry.from).sort((left, right) => left - right);
      lines.push(`| ${kind} | ${durations.length} | ${seconds(durations[Math.floor(durations.length / 2)]!)} | ${seconds(durations.at(-1)!)} |`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await sweepProject(counted.engine, projectName);
    rmSync(directory, { recursive: true, force: true });
  }
}

/** How long, within [from, to], at least one interval was open (minus the time `except` covers). */
function covered(intervals: readonly Interval[], from: number, to: number, except: readonly Interval[] = []): number {
  const clipped = (list: readonly Interval[]) =>
    list
      .map((interval) => ({ from: Math.max(from, interval.from), to: Math.min(to, interval.to) }))
      .filter((interval) => interval.to > interval.from)
      .sort((left, right) => left.from - right.from);
  const union = (list: Interval[]) => {
    const merged: Interval[] = [];
    for (const interval of list) {
      const last = merged.at(-1);
      if (last && interval.from <= last.to) last.to = Math.max(last.to, interval.to);
      else merged.push({ ...interval });
    }
    return merged;
  };
  const mine = union(clipped(intervals));
  const theirs = union(clipped(except));
  let total = 0;
  for (const interval of mine) {
    total += interval.to - interval.from;
    for (const other of theirs) total -= Math.max(0, Math.min(interval.to, other.to) - Math.max(interval.from, other.from));
  }
  return total;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(2)} s`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`trace-converge: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
