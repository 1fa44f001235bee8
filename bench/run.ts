import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runCommand } from './command-runner.js';
import { runBenchmarks } from './harness.js';
import { cliOptions, fullOptions, onlySizes, quickOptions, repositoryRoot, RESULTS_DIRECTORY } from './options.js';

// `npm run bench [-- --quick]`: set up what the run needs (engine, images, the legacy docker-compose, a
// fresh build of the CLI), run the benchmark, print the table, and write bench/results/<time>.json and
// bench/results/latest.md. Ctrl-C stops the run and removes everything it created (twice: exit at once).

const usage = `Usage: npm run bench [-- --quick | --cli] [-- --sizes N,...] [-- --skip-setup]

  --quick        10 and 60 services and the example, fewer repetitions (about five minutes on two cores)
  --cli          only the command-line rows: CLI start, validate and plan of the example, no-op apply on
                 28 and 60 services, each beside docker-compose (a few minutes)
  --sizes N,...  only the generated stacks of these sizes (no example, no CLI no-op stacks), with the
                 repetitions of the mode (full or --quick): e.g. the 500-service parts alone
  --skip-setup   do not run the set-up scripts and the build (the engine, images, docker-compose and
                 dist/ must be there already)`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, cli: { type: 'boolean' }, sizes: { type: 'string' }, 'skip-setup': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const startedAt = performance.now();
  const log = (line: string) => process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const interruption = new AbortController();
  let interruptedAt: number | null = null;
  process.on('SIGINT', () => {
    if (interruptedAt === null) {
      interruptedAt = performance.now();
      log('interrupted: removing what the benchmark created (Ctrl-C again to exit at once)');
      interruption.abort(new Error('interrupted'));
      return;
    }
    // One Ctrl-C can arrive twice (from the terminal, and relayed by tsx): only a later one means "now".
    if (performance.now() - interruptedAt > 1_000) process.exit(130);
  });

  if (!values['skip-setup']) {
    const steps: Array<[what: string, file: string, args: string[]]> = [
      ['engine', 'bash', ['scripts/ensure-engine.sh']],
      ['images', 'bash', ['scripts/build-images.sh']],
      ['legacy docker-compose', 'bash', ['scripts/install-legacy-compose.sh']],
    ];
    if (!isBuildFresh()) steps.push(['build', 'npm', ['run', '--silent', 'build']]);
    for (const [what, file, args] of steps) {
      log(`set-up: ${what}`);
      await runCommand(file, args, { cwd: repositoryRoot, env: process.env, timeoutMs: 600_000, signal: interruption.signal });
    }
  }

  const modeOptions = values.cli ? cliOptions() : values.quick ? quickOptions() : fullOptions();
  const options = { ...(values.sizes ? onlySizes(modeOptions, values.sizes) : modeOptions), signal: interruption.signal, log };
  let outcome: Awaited<ReturnType<typeof runBenchmarks>>;
  try {
    outcome = await runBenchmarks(options);
  } catch (error) {
    if (!interruption.signal.aborted) throw error;
    log('stopped (cleanup ran; any failure of it is logged above)');
    return 130;
  }
  const { report, markdown } = outcome;
  process.stdout.write(`\n${markdown}`);
  mkdirSync(RESULTS_DIRECTORY, { recursive: true });
  const jsonPath = join(RESULTS_DIRECTORY, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIRECTORY, 'latest.md'), markdown);
  log(`wrote ${jsonPath} and ${join(RESULTS_DIRECTORY, 'latest.md')}`);
  return report.rows.some((row) => row.composelet.kind === 'failed' || row.dockerCompose.kind === 'failed') ? 1 : 0;
}

/** dist/cli/main.js is newer than every file under src/ (tsc rewrites every output on each build). */
function isBuildFresh(): boolean {
  const built = join(repositoryRoot, 'dist', 'cli', 'main.js');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const newestSource = (directory: string): number =>
    readdirSync(directory, { withFileTypes: true }).reduce((newest, entry) => {
      const path = join(directory, entry.name);
      return Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
    }, 0);
  return newestSource(join(repositoryRoot, 'src')) < builtAt;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
