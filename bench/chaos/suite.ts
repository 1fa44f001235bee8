import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import type { EnginePort } from '../../src/engine/engine-port.js';
import { createCleanup } from '../cleanup.js';
import { projectContainers, sweepProject } from '../engine-state.js';
import { COMPOSE_SERVICE } from '../../src/reconciler/labels.js';
import { chaosController } from './controller.js';
import { dockerCli } from './docker-cli.js';
import { waitForConvergence } from './converge.js';
import { FaultNotInjected, injectFault } from './faults.js';
import { brokenAuditLines, lostSentinels, oneShotRuns, writeSentinels } from './invariants.js';
import { renderChaosMarkdown, summarizeRun, type BurstRecord, type ChaosReport, type FaultRecord } from './report.js';
import { planFaults, type FaultKind } from './schedule.js';
import { CHAOS_ROLLOUT_MONITOR, chaosStack } from './stack.js';
import { duplicateCounts, readWorld, strayContainers, worldProblems, type ServiceExpectation } from './world.js';

// A chaos run: the chaos stack under `composelet run`, faults from the seed in bursts, after each burst
// convergence (with a deadline) and the invariants, then the report. Everything it made is removed at the
// end, also when it fails or is interrupted.

export interface ChaosOptions {
  engine: EnginePort;
  /** The engine's address for the controller and the docker CLI; absent: the environment's DOCKER_HOST. */
  dockerHost?: string;
  /** Stops the engine with SIGTERM and starts it again: only for an engine of the run's own, and needed
   * by engine-restart faults. */
  restartEngine?: () => Promise<void>;
  cliPath: string;
  seed: number;
  faults: number;
  services: number;
  kinds: readonly FaultKind[];
  burstSize: { minimum: number; maximum: number };
  /** Deadline for convergence after each burst (and for the first converge, three times this). */
  convergeTimeoutMs: number;
  /** Start no burst after this long from the first one (null or absent: run every burst). */
  budgetMs?: number | null;
  /** The controller's --resync (it is what notices a network disconnect). */
  resync: string;
  pollMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const startedAt = new Date();
  const { engine, log, signal } = options;
  if (options.kinds.includes('engine-restart') && options.restartEngine === undefined) {
    throw new Error('engine-restart faults need an engine of the run\'s own (--engine private): the shared engine is never restarted');
  }
  const docker = dockerCli(options.dockerHost ?? null);
  const projectName = `chaos-${randomBytes(3).toString('hex')}`;
  const stack = chaosStack({ services: options.services });
  const generations = new Map<string, number>(stack.services.map((service) => [service.name, 0]));
  const expectations = (): ServiceExpectation[] =>
    stack.services.map((service) => ({ service: service.name, generation: generations.get(service.name)!, healthcheck: service.healthcheck }));
  const cleanup = createCleanup(log);
  const root = mkdtempSync(join(tmpdir(), 'composelet-chaos-'));
  const stateDirectory = mkdtempSync(join(tmpdir(), 'composelet-chaos-state-'));
  cleanup.defer('temporary directories', () => {
    rmSync(root, { recursive: true, force: true });
    rmSync(stateDirectory, { recursive: true, force: true });
  });
  cleanup.defer(`project ${projectName}`, async () => void (await sweepProject(engine, projectName)));
  const projectDirectory = join(root, projectName);
  mkdirSync(projectDirectory);
  const writeManifest = () =>
    writeFileSync(join(projectDirectory, 'compose.yaml'), stringify(stack.document(generations), { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }));
  writeManifest();
  const auditLog = join(stateDirectory, 'audit.log');
  const controller = chaosController({ cliPath: options.cliPath, root, resync: options.resync, auditLog, dockerHost: options.dockerHost ?? null, signal, log });
  cleanup.defer('controller', () => controller.stop());

  const faults: FaultRecord[] = [];
  const bursts: BurstRecord[] = [];
  try {
    log(`seed ${options.seed}: ${projectName}, ${options.services} services; starting the controller`);
    await controller.restart({ crashAt: null });
    const first = await waitForConvergence({
      engine, docker, projectName, expectations, status: () => controller.status(projectName), pending: [], injecting: () => false, lastInjectionAt: () => 0,
      timeoutMs: options.convergeTimeoutMs * 3, pollMs: options.pollMs, signal,
    });
    if (!first.converged) throw new Error(`the chaos stack did not converge before any fault: ${first.problems.slice(0, 5).join('; ')}`);
    await writeSentinels(engine, first.snapshot, stack.services, options.seed);
    let oneShotBaseline = (await oneShotRuns(engine, first.snapshot, stack.services[0]!.name)) ?? 1;
    let auditBaseline = await brokenAuditLines(auditLog);
    log(`converged in ${(first.convergeMs / 1000).toFixed(1)} s; sentinels written`);

    const schedule = planFaults({ seed: options.seed, faults: options.faults, kinds: options.kinds, services: stack.services.map((service) => service.name), burstSize: options.burstSize });
    const burstCount = (schedule.at(-1)?.burst ?? -1) + 1;
    const hooks = {
      engine, docker, projectName, now: Date.now,
      restartEngine: options.restartEngine ?? null,
      async containerOf(service: string) {
        const containers = (await projectContainers(engine, projectName)).filter((container) => container.Labels[COMPOSE_SERVICE] === service);
        return containers.length === 1 ? containers[0]!.Id : null;
      },
      restartController: (restart: { crashAt: string | null }) => controller.restart(restart),
      controllerExit: (timeoutMs: number) => controller.exit(timeoutMs),
      setGeneration(service: string, generation: number) {
        generations.set(service, generation);
        writeManifest();
      },
      generationOf: (service: string) => generations.get(service)!,
      async waitForGeneration(service: string, generation: number, timeoutMs: number) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const snapshot = await readWorld(engine, projectName, Date.now);
          const expected = expectations().find((entry) => entry.service === service)!;
          if (worldProblems(snapshot, projectName, [{ ...expected, generation }]).every((problem) => !problem.startsWith(`${service}:`))) return;
          if (Date.now() > deadline) throw new Error(`${service} not at generation ${generation} after ${timeoutMs / 1000} s`);
          await delay(options.pollMs, undefined, { signal });
        }
      },
    };

    const firstBurstAt = Date.now();
    for (let burst = 0; burst < burstCount; burst += 1) {
      if (options.budgetMs !== undefined && options.budgetMs !== null && Date.now() - firstBurstAt > options.budgetMs) {
        log(`time budget of ${options.budgetMs / 60_000} min spent: stopping after ${burst} of ${burstCount} bursts (${faults.length} of ${options.faults} faults)`);
        break;
      }
      const pending: Array<{ record: FaultRecord; from: number; pausedContainer: string | null }> = [];
      let lastInjectionAt = Date.now();
      let injecting = true;
      // Polled from the start of the burst, so each fault's heal time is its own.
      const converging = waitForConvergence({
        engine, docker, projectName, expectations, status: () => controller.status(projectName), pending, injecting: () => injecting, lastInjectionAt: () => lastInjectionAt,
        timeoutMs: options.convergeTimeoutMs, pollMs: options.pollMs, signal,
      });
      converging.catch(() => undefined);
      for (const planned of schedule.filter((fault) => fault.burst === burst)) {
        await delay(planned.delayMs, undefined, { signal });
        const record: FaultRecord = { ...planned, outcome: 'not-healed', healMs: null, detail: null, duplicates: 0, dataLost: 0 };
        faults.push(record);
        const pausedContainer = planned.kind === 'pause' ? await hooks.containerOf(planned.service!) : null;
        try {
          const injection = await injectFault(planned, hooks);
          record.detail = injection.detail;
          pending.push({ record, from: injection.from, pausedContainer });
          lastInjectionAt = Date.now();
        } catch (error) {
          signal.throwIfAborted();
          record.outcome = 'skipped';
          record.detail = error instanceof FaultNotInjected ? error.message : `could not inject: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      injecting = false;
      const result = await converging;
      // The invariants, each finding charged to the fault of the burst that hit that service.
      const byService = new Map(pending.filter((entry) => entry.record.service !== null).map((entry) => [entry.record.service!, entry.record]));
      const record: BurstRecord = {
        burst, converged: result.converged, convergeMs: result.convergeMs, problems: [...result.problems], strays: strayContainers(result.snapshot),
        oneShotReruns: 0, brokenAuditLines: 0, unattributed: { duplicates: 0, dataLost: 0 }, lostSentinels: [],
      };
      for (const [service, extra] of duplicateCounts(result.snapshot, [...generations.keys()])) {
        const fault = byService.get(service);
        if (fault) fault.duplicates += extra;
        else record.unattributed.duplicates += extra;
      }
      const sentinels = await lostSentinels(engine, result.snapshot, stack.services, options.seed);
      for (const lost of sentinels.lost) {
        const fault = byService.get(lost.split(' ')[0]!);
        if (fault) fault.dataLost += 1;
        else record.unattributed.dataLost += 1;
      }
      if (sentinels.unchecked.length > 0) record.problems.push(`sentinels not checked (no running container): ${sentinels.unchecked.join(', ')}`);
      record.lostSentinels = sentinels.lost.map((lost) => `${lost} (after ${byService.get(lost.split(' ')[0]!)?.kind ?? 'no fault on it'})`);
      // Written again, so the next burst's losses are its own.
      if (sentinels.lost.length > 0) await writeSentinels(engine, result.snapshot, stack.services, options.seed, new Set(sentinels.lost)).catch((error: unknown) => log(String(error)));
      const runs = await oneShotRuns(engine, result.snapshot, stack.services[0]!.name).catch(() => null);
      if (runs !== null) {
        record.oneShotReruns = Math.max(0, runs - oneShotBaseline);
        oneShotBaseline = runs;
      }
      const broken = await brokenAuditLines(auditLog);
      record.brokenAuditLines = Math.max(0, broken - auditBaseline);
      auditBaseline = broken;
      bursts.push(record);
      const kinds = pending.map((entry) => `${entry.record.kind}${entry.record.service ? ` ${entry.record.service}` : ''}:${entry.record.outcome}`).join(', ');
      log(
        `burst ${burst + 1}/${burstCount} [${kinds}] ${result.converged ? 'converged' : 'NOT converged'} in ${(result.convergeMs / 1000).toFixed(1)} s` +
          `${sentinels.lost.length > 0 ? `; data lost: ${record.lostSentinels.join(', ')}` : ''}${record.strays.length > 0 ? `; strays: ${record.strays.join(', ')}` : ''}` +
          `${result.converged ? '' : `; ${result.problems.slice(0, 3).join('; ')}`}`,
      );
      if (!result.converged) log(`the controller's last lines:\n${controller.recentLog()}`);
    }
  } finally {
    await cleanup.runAll();
  }
  const summary = summarizeRun(options.kinds, faults, bursts);
  return {
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    seed: options.seed,
    faultsRequested: options.faults,
    burstSize: options.burstSize,
    budgetMs: options.budgetMs ?? null,
    kinds: [...options.kinds],
    stack: {
      projectName,
      services: options.services,
      namedVolumes: stack.services.filter((service) => service.namedVolume !== null).length,
      anonymousVolumes: stack.services.filter((service) => service.anonymousVolume).length,
    },
    ...summary,
    faults,
    bursts,
    notes: [
      `controller: composelet run --resync ${options.resync}; crash-loop backoff shortened in the stack (x-composelet healing backoff 1s..5s, reset after 20s), and the rollout monitor period shortened to ${CHAOS_ROLLOUT_MONITOR} (x-composelet rollout monitor), so heal times measure healing, not backoff or monitoring`,
      'heal time: from the fault (an edit: from writing the value back) to the first read where the service is as desired: one container, its name, running and healthy, its environment, memory limit and network',
      options.restartEngine === undefined
        ? 'engine: the shared one, never restarted (engine-restart faults run with --engine private)'
        : 'engine: a private dockerd of the run\'s own; an engine-restart is SIGTERM to it, then a new dockerd on the same data root, in a burst of its own, healed from the engine answering again',
    ],
  };
}

export { renderChaosMarkdown };
