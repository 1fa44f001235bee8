import { describe, expect, it } from 'vitest';
import { runBenchmarks } from '../../bench/harness.js';
import { DEFAULT_CLI_PATH, DEFAULT_EXAMPLE_DIRECTORY } from '../../bench/options.js';
import type { Figure, RowId } from '../../bench/report-model.js';

// The benchmark harness in a tiny configuration, on the real engine: 3 services, one repetition, three
// heal faults, a two-second footprint window, and adoption of the stack docker-compose started. It checks the report's shape (every row, positive numbers),
// never how fast anything was.

const STACK_ROWS: RowId[] = [
  'cold-returned',
  'cold-settled',
  'noop-cli',
  'noop-reconcile',
  'noop-calls-library',
  'noop-calls-http',
  'change-env',
  'change-limit',
  'change-limit-recreated',
];
const CONTROLLER_ROWS: RowId[] = ['heal-p50', 'heal-p99', 'footprint-rss', 'footprint-cpu'];
const CLI_ROWS: RowId[] = ['cli-floor', 'cli-help', 'cli-version'];
const ADOPTION_ROWS: RowId[] = ['adopt-converged', 'adopt-gap-longest', 'adopt-gap-p50', 'adopt-down-twice', 'adopt-left-down'];
const ROLLBACK_ROWS: RowId[] = ['rollback-p50', 'rollback-p99'];

describe('benchmark harness (smoke)', () => {
  it('a tiny run must report every row for both tools, with positive numbers', async () => {
    const { report, markdown } = await runBenchmarks({
      mode: 'smoke',
      sizes: [3],
      includeExample: false,
      repetitions: { fast: 1, cold: 1, phaseBudgetMs: 60_000, minimumWhenSlow: 1 },
      heal: { stackSize: 3, faults: 3 },
      adoption: { stackSizes: [3], example: false },
      footprint: { stackSizes: [3], durationMs: 2_000 },
      cli: { commandRepetitions: 1, noopStackSizes: [3], example: false, only: false },
      cliPath: DEFAULT_CLI_PATH,
      exampleDirectory: DEFAULT_EXAMPLE_DIRECTORY,
      largeStack: { size: 500, minimumAvailableGiB: 8, minimumProcessorsForHealthchecks: 4 },
    });

    expect(report.rows.map((row) => `${row.stack} ${row.id}`)).toEqual([
      ...CLI_ROWS.map((id) => `– ${id}`),
      'generated-3 cli-noop-apply',
      ...[...STACK_ROWS, ...CONTROLLER_ROWS, ...ADOPTION_ROWS].map((id) => `generated-3 ${id}`),
      ...ROLLBACK_ROWS.map((id) => `one service ${id}`),
    ]);
    const figures = report.rows.flatMap((row) => [row.composelet, row.dockerCompose]);
    expect(figures.filter((figure) => figure.kind === 'failed')).toEqual([]);
    const numbers = figures.filter((figure): figure is Extract<Figure, { kind: 'measured' }> => figure.kind === 'measured');
    // Idle CPU may round to zero ticks over two seconds; every other number must be positive.
    for (const figure of numbers) expect(figure.unit === 'percent' ? figure.value >= 0 : figure.value > 0).toBe(true);
    // docker-compose has no rollback: its column says so, in words.
    expect(report.rows.find((row) => row.id === 'rollback-p50')?.dockerCompose).toMatchObject({ kind: 'text' });
    expect(report.rows.find((row) => row.id === 'change-limit-recreated')?.composelet).toEqual({ kind: 'text', text: 'no (0/1 recreated)' });
    // Adopting: every service down once, none left down (the generated-3 copy polls all three on a port).
    const adoptionText = (id: RowId) => report.rows.find((row) => row.id === id)?.composelet;
    expect(adoptionText('adopt-down-twice')).toEqual({ kind: 'text', text: '0 of 3' });
    expect(adoptionText('adopt-left-down')).toEqual({ kind: 'text', text: '0 of 3' });
    expect(report.rows.find((row) => row.id === 'adopt-gap-longest')?.composelet).toMatchObject({ note: '3 services polled on their port, 0 from die/start events' });
    expect(report.scaling.map((point) => point.services)).toEqual([3]);
    for (const row of report.rows) expect(markdown).toContain(`| ${row.stack} | ${row.measure} |`);
  }, 420_000);
});
