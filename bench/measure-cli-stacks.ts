import type { EnginePort } from '../src/engine/engine-port.js';
import type { Cleanup } from './cleanup.js';
import { composeletDriver, composeletEnvironment } from './composelet-cli.js';
import { waitUntilSettled } from './engine-state.js';
import { legacyComposeDriver, legacyDocument, legacyEnvironment } from './legacy-compose.js';
import { measurePair, type PairedSamples, type TimedCommand } from './measure-cli.js';
import { phase, repeat, type Phase } from './measure-converge.js';
import type { Repetitions } from './options.js';
import { prebuildImages } from './prebuild.js';
import { createStackDirectory } from './stack-directory.js';
import type { ComposeDocument, StackDefinition } from './stack-documents.js';
import type { ToolDriver } from './tool-driver.js';
import { openToolSession } from './tool-session.js';

// The CLI rows that need a stack: `validate` and a no-op `plan` of the example beside `docker-compose config`
// (the nearest it has: it reads, checks and prints the file, and asks the engine nothing), and a no-op
// `apply` beside a no-op `up -d` on converged generated stacks. Each tool converges its own copy once
// (untimed), is measured, and is taken down; only one project runs at a time.

export interface CliStackContext {
  engine: EnginePort;
  cliPath: string;
  cleanup: Cleanup;
  runId: string;
  repetitions: Repetitions;
  /** Runs of each paired command. */
  commandRepetitions: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface ExampleCliSamples {
  validate: PairedSamples;
  plan: PairedSamples;
}

export interface NoopApplySamples {
  stack: string;
  services: number;
  composelet: Phase<number[]>;
  dockerCompose: Phase<number[]>;
}

const COMMAND_TIMEOUT_MS = 60_000;

/** validate and plan (on a converged copy) of the example, each in turn with docker-compose config. */
export async function measureExampleCli(stack: StackDefinition, context: CliStackContext): Promise<ExampleCliSamples> {
  const { cleanup, signal, log } = context;
  const legacyDirectory = createStackDirectory(stack, 'composelet-bench-config');
  const removeLegacyDirectory = cleanup.defer(`remove ${legacyDirectory.path}`, () => legacyDirectory.remove());
  try {
    legacyDirectory.write(legacyDocument(stack.document));
    const config: TimedCommand = {
      file: 'docker-compose',
      args: ['-p', `cbench-cfg-${context.runId}`, '-f', legacyDirectory.composeFile, 'config'],
      cwd: legacyDirectory.path,
      env: legacyEnvironment(),
    };
    const pairOptions = { repetitions: context.commandRepetitions, timeoutMs: COMMAND_TIMEOUT_MS, signal };
    const result = await withConverged(stack, 'cx', 'composelet', context, async (driver) => {
      const composelet = (command: string[]): TimedCommand => ({
        file: process.execPath,
        args: [context.cliPath, ...command, driver.directory.path],
        cwd: driver.directory.path,
        env: composeletEnvironment(),
      });
      log(`${stack.label}: validate and plan beside docker-compose config ×${context.commandRepetitions}`);
      return { validate: await measurePair(composelet(['validate']), config, pairOptions), plan: await measurePair(composelet(['plan', '--detailed-exitcode']), config, pairOptions) };
    });
    if (!result.ok) return { validate: bothFailed(result.error), plan: bothFailed(result.error) };
    return result.value;
  } finally {
    await removeLegacyDirectory();
  }
}

/** No-op `apply` and no-op `up -d` on converged copies of the stack, `repetitions.fast` runs each. */
export async function measureNoopApply(stack: StackDefinition, context: CliStackContext): Promise<NoopApplySamples> {
  const noop = async (tool: ToolDriver['tool']) => {
    const result = await withConverged(stack, `n${stack.containers}`, tool, context, async (driver) => {
      context.log(`${stack.label} ${tool}: no-op converge ×${context.repetitions.fast}`);
      return repeat(context.repetitions, () => driver.converge());
    });
    return result;
  };
  const composelet = await noop('composelet');
  const dockerCompose = await noop('docker-compose');
  return { stack: stack.label, services: stack.containers, composelet, dockerCompose };
}

/** One tool's copy of the stack, converged (and settled) once before `measure` runs, then taken down. */
async function withConverged<T>(
  stack: StackDefinition,
  tag: string,
  tool: ToolDriver['tool'],
  context: CliStackContext,
  measure: (driver: ToolDriver) => Promise<T>,
): Promise<Phase<T>> {
  const { engine, cleanup, signal, log } = context;
  const timeoutMs = 120_000 + stack.containers * 3_000;
  const letter = tool === 'composelet' ? 'c' : 'l';
  const session = await openToolSession({
    stack,
    projectName: `cbench-${letter}-cli-${tag}-${context.runId}`,
    engine,
    cleanup,
    signal,
    log,
    makeDriver: (projectName, directory) =>
      tool === 'composelet'
        ? composeletDriver({ cliPath: context.cliPath, projectName, directory, timeoutMs, signal })
        : legacyComposeDriver({ projectName, directory, timeoutMs, signal }),
  });
  const { result, notes } = await session.run((driver, document: ComposeDocument) =>
    phase(signal, async () => {
      driver.write(document);
      if (Object.values(document.services).some((service) => service['build'] !== undefined)) await prebuildImages(engine, driver.directory.path);
      log(`${stack.label} ${tool}: converge once (not timed)`);
      await driver.converge();
      await waitUntilSettled(engine, driver.projectName, { expectedContainers: stack.containers, timeoutMs, signal });
      return measure(driver);
    }),
  );
  for (const note of notes) log(note);
  return result;
}

function bothFailed(error: string): PairedSamples {
  return { composelet: { ok: false, error }, dockerCompose: { ok: false, error } };
}
