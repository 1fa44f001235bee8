import { summarize } from './statistics.js';

// What a benchmark run produces, as data: rows of figures for composelet and docker-compose side by side
// (the table renders them), the scaling series, and the machine it ran on. JSON-serializable as is.

export type Unit = 'ms' | 'calls' | 'MiB' | 'percent';

export type Figure =
  /** `value` is the median (or the named percentile); min and max give the spread over `samples`. */
  | { kind: 'measured'; unit: Unit; value: number; min: number; max: number; samples: number[]; note?: string }
  /** A fact that is not a number: "does not heal", "yes (5/5)". */
  | { kind: 'text'; text: string }
  | { kind: 'failed'; reason: string };

export type RowId =
  | 'cli-floor'
  | 'cli-help'
  | 'cli-version'
  | 'cli-validate'
  | 'cli-plan'
  | 'cli-noop-apply'
  | 'cold-returned'
  | 'cold-settled'
  | 'noop-cli'
  | 'noop-reconcile'
  | 'noop-calls-library'
  | 'noop-calls-http'
  | 'change-env'
  | 'change-limit'
  | 'change-limit-recreated'
  | 'heal-p50'
  | 'heal-p99'
  | 'footprint-rss'
  | 'footprint-cpu'
  | 'adopt-converged'
  | 'adopt-gap-longest'
  | 'adopt-gap-p50'
  | 'adopt-down-twice'
  | 'adopt-left-down'
  | 'rollback-p50'
  | 'rollback-p99';

export interface Row {
  id: RowId;
  /** "example", "generated-60", ... */
  stack: string;
  measure: string;
  composelet: Figure;
  dockerCompose: Figure;
}

export interface ScalingPoint {
  services: number;
  /** The stack's label ("generated-500-no-healthchecks" tells a point apart from its neighbours). */
  stack: string;
  composeletReconcileMs: Figure;
  composeletCliMs: Figure;
  dockerComposeNoopMs: Figure;
}

export interface Machine {
  processors: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  engineVersion: string;
  engineApiVersion: string;
  nodeVersion: string;
  dockerComposeVersion: string;
  /** Containers on the engine that the benchmark did not create, when it started (they share the machine). */
  otherContainersRunning: number;
}

export interface BenchmarkReport {
  mode: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  rows: Row[];
  scaling: ScalingPoint[];
  /** Parts that did not run, each with why. */
  skipped: string[];
  notes: string[];
}

export function measured(unit: Unit, samples: readonly number[], options: { value?: number; note?: string } = {}): Figure {
  if (samples.length === 0) return { kind: 'failed', reason: 'no samples' };
  const summary = summarize(samples);
  return {
    kind: 'measured',
    unit,
    value: options.value ?? summary.median,
    min: summary.min,
    max: summary.max,
    samples: [...samples],
    ...(options.note !== undefined ? { note: options.note } : {}),
  };
}

export function text(value: string): Figure {
  return { kind: 'text', text: value };
}

export function failed(error: unknown): Figure {
  return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
}
