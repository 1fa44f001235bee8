import { cliRows, type CliResults } from './cli-rows.js';
import type { StackResult } from './harness.js';
import type { DisruptionRun } from './measure-adopt.js';
import type { ConvergeResult, Phase } from './measure-converge.js';
import type { BenchmarkOptions } from './options.js';
import { failed, measured, text, type BenchmarkReport, type Figure, type Machine, type Row, type ScalingPoint } from './report-model.js';
import { percentile } from './statistics.js';
import { rollbackRows, type RollbackResult } from './measure-rollback.js';

// From the raw samples of a run to the report's rows: one row per measure and stack, composelet beside
// docker-compose, a failed phase shown as such rather than dropped.

const DOES_NOT_HEAL = 'does not heal (no daemon; restart policies do not cover kill, stop or rm)';
const NO_DAEMON = 'n/a (no daemon)';

export function buildReport(input: {
  mode: string;
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  results: StackResult[];
  cli: CliResults | null;
  skipped: string[];
  options: BenchmarkOptions;
  notes?: string[];
  /** The rollback measure (bench/measure-rollback.ts); null: not run (--cli). */
  rollback?: Phase<RollbackResult> | null;
}): BenchmarkReport {
  const rows: Row[] = input.cli ? cliRows(input.cli) : [];
  for (const result of input.results) rows.push(...stackRows(result));
  for (const result of input.results) rows.push(...controllerRows(result, input.options));
  for (const result of input.results) rows.push(...adoptionRows(result));
  if (input.rollback) rows.push(...rollbackRows(input.rollback));
  return {
    mode: input.mode,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    machine: input.machine,
    rows,
    scaling: input.results.filter((result) => result.generatedSize !== null).map(scalingPoint),
    skipped: input.skipped,
    notes: [...(input.notes ?? []), ...input.results.flatMap((result) => result.notes)],
  };
}

function stackRows(result: StackResult): Row[] {
  const stack = result.stack.label;
  const { composelet, dockerCompose: legacy } = result;
  const row = (id: Row['id'], measure: string, composeletFigure: Figure, legacyFigure: Figure): Row => ({
    id,
    stack,
    measure,
    composelet: composeletFigure,
    dockerCompose: legacyFigure,
  });
  return [
    row('cold-returned', 'cold converge: command returned', milliseconds(composelet.coldReturnedMs), milliseconds(legacy.coldReturnedMs)),
    row('cold-settled', 'cold converge: all running and healthy', milliseconds(composelet.coldSettledMs), milliseconds(legacy.coldSettledMs)),
    row('noop-cli', 'no-op converge (`apply` / `up -d`)', milliseconds(composelet.noopMs), milliseconds(legacy.noopMs)),
    row(
      'noop-reconcile',
      'no-op reconcile, in-process (load + observe + plan) vs `up -d`',
      result.reconcile.ok ? measured('ms', result.reconcile.value.durationsMs, operationsNote(result.reconcile.value.operations)) : failed(result.reconcile.error),
      milliseconds(legacy.noopMs),
    ),
    row(
      'noop-calls-library',
      'no-op reconcile: engine calls (counting engine)',
      result.reconcile.ok ? callCount(result.reconcile.value.calls) : failed(result.reconcile.error),
      text('n/a (no library)'),
    ),
    row('noop-calls-http', 'no-op converge: API requests (counting socket proxy)', requestCount(composelet), requestCount(legacy)),
    row('change-env', "one service's environment changed: to converged", milliseconds(composelet.changeEnvironmentMs), milliseconds(legacy.changeEnvironmentMs)),
    row('change-limit', "one service's mem_limit changed: to converged", milliseconds(composelet.changeLimitMs), milliseconds(legacy.changeLimitMs)),
    row('change-limit-recreated', 'mem_limit changed: container recreated?', recreatedText(composelet), recreatedText(legacy)),
  ];
}

function controllerRows(result: StackResult, options: BenchmarkOptions): Row[] {
  const rows: Row[] = [];
  const stack = result.stack.label;
  if (result.heal) {
    const heal = result.heal;
    const samples = heal.ok ? heal.value.samples.map((sample) => sample.healMs) : [];
    const healed = `${samples.length}/${options.heal.faults} faults healed`;
    const figure = (fraction: number): Figure => {
      if (!heal.ok) return failed(heal.error);
      if (samples.length === 0) return failed(`no fault healed: ${heal.value.failures.slice(0, 2).join('; ')}`);
      return measured('ms', samples, { value: percentile(samples, fraction), note: healed });
    };
    const measure = (name: string) => `heal, from die to running (kill, stop, rm in turn; ${healed}): ${name}`;
    rows.push({ id: 'heal-p50', stack, measure: measure('p50'), composelet: figure(0.5), dockerCompose: text(DOES_NOT_HEAL) });
    rows.push({ id: 'heal-p99', stack, measure: measure('p99'), composelet: figure(0.99), dockerCompose: text(DOES_NOT_HEAL) });
  }
  if (result.footprint) {
    const footprint = result.footprint;
    const seconds = Math.round(options.footprint.durationMs / 1000);
    rows.push({
      id: 'footprint-rss',
      stack,
      measure: `controller idle RSS (over ${seconds} s)`,
      composelet: footprint.ok ? measured('MiB', footprint.value.rssMiB) : failed(footprint.error),
      dockerCompose: text(NO_DAEMON),
    });
    rows.push({
      id: 'footprint-cpu',
      stack,
      measure: `controller idle CPU, % of one core (over ${seconds} s)`,
      composelet: footprint.ok
        ? measured('percent', footprint.value.cpuPercent, { value: footprint.value.averageCpuPercent, note: 'window average; spread over 1 s intervals' })
        : failed(footprint.error),
      dockerCompose: text(NO_DAEMON),
    });
  }
  return rows;
}

/** Adoption (composelet adopt) beside what an operator does today to replace every container of a
 * docker-compose stack (`docker-compose up -d --force-recreate`), each measured the same way. */
function adoptionRows(result: StackResult): Row[] {
  if (!result.adoption) return [];
  const stack = result.stack.label;
  const { composelet, dockerCompose: legacy } = result.adoption;
  const row = (id: Row['id'], measure: string, figure: (run: DisruptionRun) => Figure): Row => ({
    id,
    stack,
    measure,
    composelet: composelet.ok ? figure(composelet.value) : failed(composelet.error),
    dockerCompose: legacy.ok ? figure(legacy.value) : failed(legacy.error),
  });
  const gap = (fraction: number) => (run: DisruptionRun) =>
    measured('ms', run.summary.gapsMs, { value: fraction === 1 ? run.summary.longestGapMs : percentile(run.summary.gapsMs, fraction), note: sourcesNote(run) });
  const serviceCount = (pick: (run: DisruptionRun) => string[]) => (run: DisruptionRun) => {
    const services = pick(run);
    return text(`${services.length} of ${run.services.length}${services.length > 0 ? `: ${services.join(', ')}` : ''}`);
  };
  return [
    row('adopt-converged', 'adopt a running docker-compose stack: time to converged (`adopt` / `up -d --force-recreate`)', (run) => measured('ms', [run.convergedMs])),
    row('adopt-gap-longest', 'adopt: longest gap a service did not answer', gap(1)),
    row('adopt-gap-p50', "adopt: p50 of the services' longest gaps", gap(0.5)),
    row('adopt-down-twice', 'adopt: services down more than once', serviceCount((run) => run.summary.downMoreThanOnce)),
    row('adopt-left-down', 'adopt: services left down', serviceCount((run) => run.summary.leftDown)),
  ];
}

function sourcesNote(run: DisruptionRun): string {
  return `${run.summary.polled} services polled on their port, ${run.summary.fromEvents} from die/start events`;
}

function scalingPoint(result: StackResult): ScalingPoint {
  return {
    services: result.generatedSize!,
    stack: result.stack.label,
    composeletReconcileMs: result.reconcile.ok ? measured('ms', result.reconcile.value.durationsMs) : failed(result.reconcile.error),
    composeletCliMs: milliseconds(result.composelet.noopMs),
    dockerComposeNoopMs: milliseconds(result.dockerCompose.noopMs),
  };
}

function milliseconds(samples: Phase<number[]>): Figure {
  return samples.ok ? measured('ms', samples.value) : failed(samples.error);
}

function operationsNote(operations: number): { note?: string } {
  return operations === 0 ? {} : { note: `not a no-op: the plan held ${operations} operations` };
}

function callCount(calls: Record<string, number>): Figure {
  const total = Object.values(calls).reduce((sum, count) => sum + count, 0);
  const detail = Object.entries(calls)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([method, count]) => `${method} ${count}`)
    .join(', ');
  return measured('calls', [total], { note: detail });
}

function requestCount(result: ConvergeResult): Figure {
  const requests = result.noopRequests;
  if (!requests.ok) return failed(requests.error);
  if (requests.value === null) return text('n/a (no proxy)');
  const top = Object.entries(requests.value.byEndpoint)
    .sort(([, left], [, right]) => right - left)
    .slice(0, 3)
    .map(([endpoint, count]) => `${endpoint} ${count}`)
    .join(', ');
  const mutating = Object.entries(requests.value.byEndpoint)
    .filter(([endpoint]) => !endpoint.startsWith('GET ') && !endpoint.startsWith('HEAD '))
    .map(([endpoint, count]) => `${endpoint} ${count}`);
  return measured('calls', [requests.value.total], { note: `mutating: ${mutating.join(', ') || 'none'}; most: ${top}` });
}

function recreatedText(result: ConvergeResult): Figure {
  const recreated = result.limitRecreated;
  if (!recreated.ok) return failed(recreated.error);
  const count = recreated.value.filter(Boolean).length;
  const verdict = count === 0 ? 'no' : count === recreated.value.length ? 'yes' : 'sometimes';
  return text(`${verdict} (${count}/${recreated.value.length} recreated)`);
}
