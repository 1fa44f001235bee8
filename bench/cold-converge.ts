import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createDockerEngine } from '../src/engine/docker-engine.js';
import { createCleanup } from './cleanup.js';
import { composeletDriver } from './composelet-cli.js';
import { sweepProject, waitUntilSettled } from './engine-state.js';
import { legacyComposeDriver } from './legacy-compose.js';
import { DEFAULT_CLI_PATH, DEFAULT_EXAMPLE_DIRECTORY } from './options.js';
import { prebuildImages } from './prebuild.js';
import { summarize } from './statistics.js';
import { exampleStack, generatedStack, type StackDefinition } from './stack-documents.js';
import { openToolSession } from './tool-session.js';

// `npm run bench:cold -- [--stacks example,60] [--runs 3]`: only the cold converge, composelet and
// docker-compose taking turns on the same engine (one run of each, N times), for working on the
// executor: a few minutes where the full benchmark takes an hour. Time to all running and healthy (the
// engine polled every 50 ms after the command returned, for both tools alike) and the ratio of medians.
// The figures of record come from `npm run bench`; this prints one Markdown line per stack.

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stacks: { type: 'string', default: 'example,60' }, runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const engine = createDockerEngine(process.env['DOCKER_HOST'] ? { dockerHost: process.env['DOCKER_HOST'] } : {});
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const cleanup = createCleanup(log);
  const signal = new AbortController().signal;
  const runId = randomBytes(3).toString('hex');
  try {
    for (const name of values.stacks.split(',')) {
      const stack: StackDefinition = name === 'example' ? exampleStack(DEFAULT_EXAMPLE_DIRECTORY) : generatedStack(Number(name));
      const timeoutMs = 120_000 + stack.containers * 3_000;
      const tag = name === 'example' ? 'ex' : `g${name}`;
      const open = (tool: 'c' | 'l') =>
        openToolSession({
          stack,
          projectName: `cbench-${tool}-${tag}-${runId}`,
          engine,
          cleanup,
          signal,
          log,
          makeDriver: (projectName, directory) =>
            tool === 'c'
              ? composeletDriver({ cliPath: DEFAULT_CLI_PATH, projectName, directory, timeoutMs, signal })
              : legacyComposeDriver({ projectName, directory, timeoutMs, signal }),
        });
      const composelet = await open('c');
      const legacy = await open('l');
      const samples = { composelet: [] as number[], dockerCompose: [] as number[] };
      await composelet.run((composeletDriverOf, composeletDocument) =>
        legacy.run(async (legacyDriverOf, legacyDocument) => {
          const turns = [
            { driver: composeletDriverOf, document: composeletDocument, into: samples.composelet },
            { driver: legacyDriverOf, document: legacyDocument, into: samples.dockerCompose },
          ];
          for (const turn of turns) turn.driver.write(turn.document);
          if (Object.values(stack.document.services).some((service) => service['build'] !== undefined)) {
            await prebuildImages(engine, composeletDriverOf.directory.path);
          }
          for (let run = 1; run <= runs; run += 1) {
            for (const turn of turns) {
              await sweepProject(engine, turn.driver.projectName);
              turn.driver.write(turn.document);
              const returnedMs = await turn.driver.converge();
              const settledMs = await waitUntilSettled(engine, turn.driver.projectName, { expectedContainers: stack.containers, timeoutMs, signal });
              turn.into.push(returnedMs + settledMs);
              log(`${stack.label} ${turn.driver.tool} ${run}/${runs}: ${((returnedMs + settledMs) / 1000).toFixed(2)} s (returned ${(returnedMs / 1000).toFixed(2)} s)`);
              await sweepProject(engine, turn.driver.projectName);
            }
          }
        }),
      );
      const ours = summarize(samples.composelet);
      const theirs = summarize(samples.dockerCompose);
      process.stdout.write(
        `| ${stack.label} | ${(ours.median / 1000).toFixed(2)} s (${(ours.min / 1000).toFixed(2)}–${(ours.max / 1000).toFixed(2)}) | ${(theirs.median / 1000).toFixed(2)} s (${(theirs.min / 1000).toFixed(2)}–${(theirs.max / 1000).toFixed(2)}) | ${(ours.median / theirs.median).toFixed(2)}× |\n`,
      );
    }
  } finally {
    await cleanup.runAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`cold-converge: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
