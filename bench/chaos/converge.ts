import { setTimeout as delay } from 'node:timers/promises';
import type { EnginePort } from '../../src/engine/engine-port.js';
import type { ProjectStatus } from '../../src/controller/project-status.js';
import type { DockerCli } from './docker-cli.js';
import type { FaultRecord } from './report.js';
import { containersOf, readWorld, serviceProblems, worldProblems, type ServiceExpectation, type WorldSnapshot } from './world.js';

// After a burst: poll the engine and the controller until every fault is healed and the whole project is
// as desired, with the controller's last reconcile a no-op that began after the last fault; or until the
// deadline. Each fault's heal time is from its injection to the first read where its service is as
// desired (a controller fault: the whole project). A paused container is left paused by design: once the
// controller has reconciled after the pause without touching it, the run unpauses it, whatever that
// reconcile's result: a service that waits on the paused one (service_healthy: a paused container fails
// its healthcheck) makes it fail, and waiting for a success would keep both down until the deadline (the
// 1,000-fault run's two unconverged bursts). An engine that does
// not answer (it is restarting) is polled again until the deadline.

export interface ConvergeInput {
  engine: EnginePort;
  /** The docker CLI on the run's engine (unpause). */
  docker: DockerCli;
  projectName: string;
  expectations: () => ServiceExpectation[];
  status: () => Promise<ProjectStatus | null>;
  /** This burst's faults that were injected so far, with the epoch ms healing is measured from (the
   * burst adds to it while this polls, so a fault's heal time does not wait for the rest of its burst). */
  pending: Array<{ record: FaultRecord; from: number; pausedContainer: string | null }>;
  /** True while the burst is still injecting: no convergence before it is done. */
  injecting: () => boolean;
  /** Epoch ms of the last injection. */
  lastInjectionAt: () => number;
  timeoutMs: number;
  pollMs: number;
  signal: AbortSignal;
}

export interface ConvergeResult {
  converged: boolean;
  convergeMs: number;
  problems: string[];
  snapshot: WorldSnapshot;
}

export async function waitForConvergence(input: ConvergeInput): Promise<ConvergeResult> {
  let startedAt = Date.now();
  const open = new Set(input.pending);
  const seen = new Set(input.pending);
  for (;;) {
    input.signal.throwIfAborted();
    const injecting = input.injecting();
    if (injecting) startedAt = Date.now();
    for (const entry of input.pending) if (!seen.has(entry)) (seen.add(entry), open.add(entry));
    let snapshot: WorldSnapshot;
    try {
      snapshot = await readWorld(input.engine, input.projectName, Date.now);
    } catch (error) {
      // The engine away (an engine restart): not converged yet, and a finding if it stays away.
      input.signal.throwIfAborted();
      const problem = `engine: ${error instanceof Error ? error.message : String(error)}`;
      if (!injecting && Date.now() - startedAt > input.timeoutMs) {
        for (const entry of open) entry.record.detail = [entry.record.detail, problem].filter(Boolean).join('; ');
        return { converged: false, convergeMs: Date.now() - startedAt, problems: [problem], snapshot: { at: Date.now(), containers: [] } };
      }
      await delay(input.pollMs, undefined, { signal: input.signal });
      continue;
    }
    const status = await input.status();
    const expectations = input.expectations();
    const problems = worldProblems(snapshot, input.projectName, expectations);
    const reconciledSince = (at: number) => status?.lastReconcile != null && status.lastReconcile.at >= at;
    const controllerSettled = reconciledSince(input.lastInjectionAt()) && status!.lastReconcile!.result === 'success' && status!.lastReconcile!.operations === 0;
    for (const entry of [...open]) {
      const { record } = entry;
      if (record.kind === 'pause' && entry.pausedContainer !== null) {
        const still = snapshot.containers.find((container) => container.Id === entry.pausedContainer);
        if (still?.State.Status === 'paused' && reconciledSince(entry.from + 1)) {
          await input.docker(['unpause', entry.pausedContainer]);
          record.outcome = 'left-alone';
          record.detail = 'left paused by the controller (by design); unpaused by the run';
          entry.pausedContainer = null;
          open.delete(entry);
          continue;
        }
        if (still?.State.Status === 'paused') continue;
        record.detail = 'the paused container was changed by someone';
        entry.pausedContainer = null;
      }
      const healed =
        record.service === null
          ? problems.length === 0 && status !== null
          : serviceProblems(snapshot, input.projectName, expectations.find((expected) => expected.service === record.service)!).length === 0;
      if (healed) {
        record.outcome = 'healed';
        record.healMs = Math.max(0, snapshot.at - entry.from);
        open.delete(entry);
      }
    }
    if (!injecting && open.size === 0 && problems.length === 0 && controllerSettled) {
      return { converged: true, convergeMs: Date.now() - startedAt, problems: [], snapshot };
    }
    if (!injecting && Date.now() - startedAt > input.timeoutMs) {
      for (const entry of open) {
        entry.record.outcome = 'not-healed';
        const own = entry.record.service === null ? problems : problems.filter((problem) => problem.startsWith(`${entry.record.service}:`));
        entry.record.detail = [entry.record.detail, own.slice(0, 3).join('; ')].filter(Boolean).join('; ') || null;
        if (entry.pausedContainer !== null) await input.docker(['unpause', entry.pausedContainer]).catch(() => undefined);
      }
      const controllerProblem = controllerSettled ? [] : [`controller: last reconcile ${JSON.stringify(status?.lastReconcile ?? null)}`];
      return { converged: false, convergeMs: Date.now() - startedAt, problems: [...problems, ...controllerProblem], snapshot };
    }
    await delay(input.pollMs, undefined, { signal: input.signal });
  }
}

/** The service's only container, or null. */
export function onlyContainer(snapshot: WorldSnapshot, service: string): string | null {
  const containers = containersOf(snapshot, service);
  return containers.length === 1 ? containers[0]!.Id : null;
}
