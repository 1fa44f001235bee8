import { runCommand } from './command-runner.js';
import { composeletEnvironment } from './composelet-cli.js';
import { legacyEnvironment } from './legacy-compose.js';
import { phase, type Phase } from './measure-converge.js';

// The command line as an operator feels it: each command a new process, timed from spawn to exit, so
// process start is included. composelet and docker-compose take turns (one composelet run, then one
// docker-compose run, N times), so load on a shared machine falls on both alike and their ratio holds.

export interface PairedSamples {
  composelet: Phase<number[]>;
  dockerCompose: Phase<number[]>;
}

export interface TimedCommand {
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface PairOptions {
  repetitions: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Runs the two commands in turn `repetitions` times; a failing side is reported as such, and stops only
 * that side's runs. The first run of each is a warm-up (disk cache) and is not counted. */
export async function measurePair(composelet: TimedCommand, dockerCompose: TimedCommand, options: PairOptions): Promise<PairedSamples> {
  const time = (command: TimedCommand) => async () =>
    (await runCommand(command.file, command.args, { cwd: command.cwd, env: command.env, timeoutMs: options.timeoutMs, signal: options.signal })).durationMs;
  const sides = [
    { run: time(composelet), samples: [] as number[], error: null as string | null },
    { run: time(dockerCompose), samples: [] as number[], error: null as string | null },
  ];
  for (let run = 0; run <= options.repetitions; run += 1) {
    for (const side of sides) {
      if (side.error !== null) continue;
      const result = await phase(options.signal, side.run);
      if (!result.ok) side.error = result.error;
      else if (run > 0) side.samples.push(result.value);
    }
  }
  const outcome = (side: (typeof sides)[number]): Phase<number[]> => (side.error === null ? { ok: true, value: side.samples } : { ok: false, error: side.error });
  return { composelet: outcome(sides[0]!), dockerCompose: outcome(sides[1]!) };
}

export interface CliStartSamples {
  /** `node -e 0` beside the interpreter docker-compose runs on (`python3 -c pass`): what no CLI beats. */
  floor: PairedSamples;
  help: PairedSamples;
  version: PairedSamples;
}

export async function measureCliStart(options: PairOptions & { cliPath: string; cwd: string }): Promise<CliStartSamples> {
  const composelet = (args: string[]): TimedCommand => ({ file: process.execPath, args, cwd: options.cwd, env: composeletEnvironment() });
  const legacy = (file: string, args: string[]): TimedCommand => ({ file, args, cwd: options.cwd, env: legacyEnvironment() });
  return {
    floor: await measurePair(composelet(['-e', '0']), legacy('python3', ['-c', 'pass']), options),
    help: await measurePair(composelet([options.cliPath, '--help']), legacy('docker-compose', ['--help']), options),
    version: await measurePair(composelet([options.cliPath, '--version']), legacy('docker-compose', ['version']), options),
  };
}
