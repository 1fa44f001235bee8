import { fileURLToPath } from 'node:url';

// What a run measures and how often. `quick` fits in about five minutes on two cores; `full` adds the
// large stacks, more faults and a longer footprint window. Tests build a tiny configuration of their own.

export interface BenchmarkOptions {
  mode: string;
  /** Sizes of the generated stacks. */
  sizes: number[];
  /** Also measure manifests/example. */
  includeExample: boolean;
  repetitions: Repetitions;
  /** Heal is measured on the generated stack of this size (one of `sizes`). */
  heal: { stackSize: number; faults: number };
  /** Adoption of a stack docker-compose started (with `up -d --force-recreate` beside it), on the generated
   * stacks of these sizes (each one of `sizes`) and, when `example`, on the example. */
  adoption: { stackSizes: number[]; example: boolean };
  /** Controller footprint while idle, on the generated stacks of these sizes (each one of `sizes`). */
  footprint: { stackSizes: number[]; durationMs: number };
  /** The command-line rows (bench/measure-cli.ts): CLI start, `validate` and no-op `plan` of the example
   * (when `example`), no-op `apply` on converged generated stacks of `noopStackSizes`; each paired command
   * runs `commandRepetitions` times. `only` skips everything else (`npm run bench -- --cli`). */
  cli: { commandRepetitions: number; noopStackSizes: number[]; example: boolean; only: boolean };
  /** The built CLI (dist/cli/main.js). */
  cliPath: string;
  exampleDirectory: string;
  /** Generated stacks of this size or more are skipped when memory is short (500 needs several GiB). Their
   * healthchecks run every `healthcheckInterval` on every machine, for both tools: 50 one-second
   * healthchecks (each an exec in a container) beside 500 containers saturate two cores, healthchecks then
   * time out, and either tool's cold converge fails on an "unhealthy" dependency. Without an interval, they
   * keep the 1 s one on machines with `minimumProcessorsForHealthchecks` processors and have none below. */
  largeStack: { size: number; minimumAvailableGiB: number; minimumProcessorsForHealthchecks: number; healthcheckInterval?: string };
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface Repetitions {
  /** Runs of each fast figure (no-op, one change). */
  fast: number;
  /** Runs of cold converge. */
  cold: number;
  /** A fast figure whose runs together took longer than this stops early (docker-compose needs minutes
   * per no-op at 500 services here)... */
  phaseBudgetMs: number;
  /** ...but not before it has this many runs. */
  minimumWhenSlow: number;
}

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export const DEFAULT_CLI_PATH = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
export const DEFAULT_EXAMPLE_DIRECTORY = fileURLToPath(new URL('../manifests/example', import.meta.url));
export const RESULTS_DIRECTORY = fileURLToPath(new URL('./results', import.meta.url));
export { repositoryRoot };

const common = {
  cliPath: DEFAULT_CLI_PATH,
  exampleDirectory: DEFAULT_EXAMPLE_DIRECTORY,
  includeExample: true,
  largeStack: { size: 500, minimumAvailableGiB: 8, minimumProcessorsForHealthchecks: 4, healthcheckInterval: '5s' },
};

export function quickOptions(): BenchmarkOptions {
  return {
    ...common,
    mode: 'quick',
    sizes: [10, 60],
    repetitions: { fast: 5, cold: 2, phaseBudgetMs: 120_000, minimumWhenSlow: 3 },
    heal: { stackSize: 60, faults: 30 },
    adoption: { stackSizes: [60], example: true },
    footprint: { stackSizes: [60], durationMs: 20_000 },
    cli: { commandRepetitions: 7, noopStackSizes: [28, 60], example: true, only: false },
  };
}

export function fullOptions(): BenchmarkOptions {
  return {
    ...common,
    mode: 'full',
    sizes: [10, 60, 200, 500],
    repetitions: { fast: 5, cold: 3, phaseBudgetMs: 240_000, minimumWhenSlow: 3 },
    heal: { stackSize: 60, faults: 45 },
    adoption: { stackSizes: [60], example: true },
    footprint: { stackSizes: [60, 500], durationMs: 60_000 },
    cli: { commandRepetitions: 11, noopStackSizes: [28, 60], example: true, only: false },
  };
}

/** Only the command-line rows, with quick's repetitions (a few minutes). */
export function cliOptions(): BenchmarkOptions {
  const quick = quickOptions();
  return { ...quick, mode: 'cli', sizes: [], cli: { ...quick.cli, only: true } };
}

/** `--sizes 500`: only the generated stacks of these sizes, with the mode's repetitions; the example and the
 * CLI's no-op stacks are left out (the CLI start rows stay: a few seconds). */
export function onlySizes(options: BenchmarkOptions, sizesText: string): BenchmarkOptions {
  const sizes = sizesText.split(',').map((size) => Number(size.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`--sizes ${sizesText}: expected service counts, e.g. 60,500`);
  return {
    ...options,
    mode: `${options.mode} (sizes ${sizes.join(', ')})`,
    sizes,
    includeExample: false,
    adoption: { stackSizes: options.adoption.stackSizes.filter((size) => sizes.includes(size)), example: false },
    footprint: { ...options.footprint, stackSizes: options.footprint.stackSizes.filter((size) => sizes.includes(size)) },
    cli: { ...options.cli, noopStackSizes: [], example: false },
  };
}
