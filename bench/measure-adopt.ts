import { performance } from 'node:perf_hooks';
import type { EnginePort } from '../src/engine/engine-port.js';
import { COMPOSE_SERVICE } from '../src/reconciler/labels.js';
import { publishedUrls } from './adoption-stack.js';
import { runCommand } from './command-runner.js';
import { eventOutage, pollOutage, serviceDowntime, summarizeDowntime, type DowntimeSummary, type PollSample, type ServiceDowntime } from './downtime.js';
import { isSettledContainer, projectContainers, waitUntilSettled } from './engine-state.js';
import { setTimeout as delay } from 'node:timers/promises';
import { recordServiceEvents } from './event-recorder.js';
import { legacyEnvironment } from './legacy-compose.js';
import { phase, type Phase } from './measure-converge.js';
import { pollPort } from './port-poller.js';
import type { StackDefinition } from './stack-documents.js';
import type { ToolDriver } from './tool-driver.js';

// Taking over a stack that docker-compose 1.29 started (`up -d`, v1 container names): first what an
// operator does today to replace every container, `docker-compose up -d --force-recreate`, then
// `composelet adopt DIR -p NAME` on the result. Each is timed to converged while every service that
// publishes a port is polled and the engine's die/start events are recorded: per service, how often it
// went down, its longest gap, and whether it was left down.

export interface DisruptionRun {
  /** Command start to the stack running and healthy. */
  convergedMs: number;
  services: ServiceDowntime[];
  summary: DowntimeSummary;
}

export interface AdoptionResult {
  composelet: Phase<DisruptionRun>;
  dockerCompose: Phase<DisruptionRun>;
}

export async function measureAdoption(options: {
  engine: EnginePort;
  cliPath: string;
  /** The legacy docker-compose driver on the adoption copy of the stack. */
  driver: ToolDriver;
  stack: StackDefinition;
  timeoutMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
}): Promise<AdoptionResult> {
  const { engine, driver, stack, signal, log } = options;
  const settle = () => waitUntilSettled(engine, driver.projectName, { expectedContainers: stack.containers, timeoutMs: options.timeoutMs, signal });
  const compose = (args: string[]) =>
    runCommand('docker-compose', ['-p', driver.projectName, '-f', driver.directory.composeFile, ...args], {
      cwd: driver.directory.path,
      env: legacyEnvironment(),
      timeoutMs: options.timeoutMs,
      signal,
    });
  const measure = (what: string, command: () => Promise<unknown>) =>
    measureDisruption({ engine, projectName: driver.projectName, urls: publishedUrls(stack.document), command, timeoutMs: options.timeoutMs, signal, log: (line) => log(`${stack.label} ${what}: ${line}`) });

  driver.write(stack.document);
  log(`${stack.label} adoption: docker-compose up -d`);
  const started = await phase(signal, async () => {
    await driver.converge();
    await settle();
  });
  if (!started.ok) {
    const notRun: Phase<never> = { ok: false, error: `not run: docker-compose up -d failed (${started.error})` };
    return { composelet: notRun, dockerCompose: notRun };
  }
  log(`${stack.label} adoption: docker-compose up -d --force-recreate, polled`);
  const dockerCompose = await phase(signal, () => measure('docker-compose up -d --force-recreate', () => compose(['up', '-d', '--force-recreate'])));
  log(`${stack.label} adoption: composelet adopt, polled`);
  const composelet = await phase(signal, async () => {
    await settle();
    const timeoutSeconds = Math.ceil(options.timeoutMs / 1000);
    return measure('composelet adopt', () =>
      runCommand(process.execPath, [options.cliPath, 'adopt', driver.directory.path, '-p', driver.projectName, '--timeout', `${timeoutSeconds}s`], {
        cwd: driver.directory.path,
        env: process.env,
        timeoutMs: options.timeoutMs + 30_000,
        signal,
      }),
    );
  });
  return { composelet, dockerCompose };
}

/** Runs `command` on a settled project while polling its published ports and recording its events. */
export async function measureDisruption(options: {
  engine: EnginePort;
  projectName: string;
  /** Service -> its published URLs. */
  urls: Map<string, string[]>;
  command: () => Promise<unknown>;
  timeoutMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
}): Promise<DisruptionRun> {
  const { engine, projectName } = options;
  // Services with a running container now: a completed one-shot is not "down".
  const runningAtStart = new Map<string, string[]>();
  for (const container of await projectContainers(engine, projectName)) {
    if (container.State !== 'running') continue;
    const service = container.Labels[COMPOSE_SERVICE]!;
    runningAtStart.set(service, [...(runningAtStart.get(service) ?? []), container.Id]);
  }
  const services = [...runningAtStart.keys()].sort();
  const recorder = await recordServiceEvents(engine, projectName);
  const pollers = new Map(services.map((service) => [service, (options.urls.get(service) ?? []).map((url) => pollPort(url))]));
  let recorded: ReturnType<typeof recorder.stop> | null = null;
  try {
    await Promise.all([...pollers.values()].flat().map((poller) => poller.firstAnswer(30_000)));
    const startedAt = performance.now();
    await options.command();
    const returnedMs = performance.now() - startedAt;
    let convergedMs = returnedMs;
    try {
      // Settled: every watched service runs, healthy. Not the whole project: adopt replaces a completed
      // one-shot with a container it does not start ("Created"), by design.
      convergedMs += await waitUntilServicesRun(engine, projectName, { services, timeoutMs: options.timeoutMs, signal: options.signal });
    } catch (error) {
      // Not settled is what "left down" reports; the time is then only the command's.
      options.log(error instanceof Error ? error.message : String(error));
    }
    // A port whose container runs may take a moment to listen: a few seconds before it counts as left down.
    const polls = new Map<string, PollSample[][]>();
    for (const [service, servicePollers] of pollers) polls.set(service, await Promise.all(servicePollers.map((poller) => poller.stop(5_000))));
    const endAt = performance.now();
    recorded = recorder.stop();
    const runningAtEnd = new Set(
      (await projectContainers(engine, projectName)).filter((container) => container.State === 'running').map((container) => container.Labels[COMPOSE_SERVICE]),
    );
    const downtimes = services.map((service) =>
      serviceDowntime({
        service,
        polls: (polls.get(service) ?? []).map((samples) => pollOutage(samples, endAt)),
        events: eventOutage(recorded!.get(service) ?? [], { runningAtStart: runningAtStart.get(service) ?? [], endAt }),
        runningAtEnd: runningAtEnd.has(service),
      }),
    );
    return { convergedMs, services: downtimes, summary: summarizeDowntime(downtimes) };
  } finally {
    if (recorded === null) recorder.stop();
    await Promise.all([...pollers.values()].flat().map((poller) => poller.stop(0)));
  }
}

/** Polls until each of `services` has a running, healthy (or healthcheck-less) container; the time it took. */
async function waitUntilServicesRun(engine: EnginePort, projectName: string, options: { services: readonly string[]; timeoutMs: number; signal: AbortSignal }): Promise<number> {
  const startedAt = performance.now();
  for (;;) {
    options.signal.throwIfAborted();
    const up = new Set(
      (await projectContainers(engine, projectName))
        .filter((container) => container.State === 'running' && isSettledContainer(container))
        .map((container) => container.Labels[COMPOSE_SERVICE]),
    );
    const waiting = options.services.filter((service) => !up.has(service));
    if (waiting.length === 0) return performance.now() - startedAt;
    if (performance.now() - startedAt > options.timeoutMs) throw new Error(`${projectName}: not running and healthy after ${Math.round(options.timeoutMs / 1000)} s: ${waiting.join(', ')}`);
    await delay(50);
  }
}
