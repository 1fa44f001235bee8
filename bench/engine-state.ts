import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { isNotFound } from '../src/engine/engine-errors.js';
import type { ContainerSummary, EnginePort } from '../src/engine/engine-port.js';
import { COMPOSE_PROJECT, COMPOSE_SERVICE, projectFilter } from '../src/reconciler/labels.js';

// What the engine says about a benchmark project, read the same way for both tools (both stamp Compose's
// project and service labels): is everything running and healthy, which container runs a service, and a
// forced sweep of everything the project left behind.

export async function projectContainers(engine: EnginePort, projectName: string): Promise<ContainerSummary[]> {
  const containers = await engine.listContainers({ label: [projectFilter(projectName)] });
  return containers.filter((container) => container.Labels[COMPOSE_PROJECT] === projectName);
}

/** Running and not waiting on a healthcheck, or a one-shot that exited 0. */
export function isSettledContainer(container: ContainerSummary): boolean {
  if (container.State === 'running') return !/\((health: starting|unhealthy)\)/.test(container.Status);
  return container.State === 'exited' && container.Status.startsWith('Exited (0)');
}

export function isSettled(containers: readonly ContainerSummary[], expectedContainers: number): boolean {
  return containers.length === expectedContainers && containers.every(isSettledContainer);
}

/** Polls the engine until the project is settled; resolves with the time it took from the call. */
export async function waitUntilSettled(
  engine: EnginePort,
  projectName: string,
  options: { expectedContainers: number; timeoutMs: number; signal: AbortSignal; pollMs?: number },
): Promise<number> {
  const startedAt = performance.now();
  for (;;) {
    options.signal.throwIfAborted();
    const containers = await projectContainers(engine, projectName);
    if (isSettled(containers, options.expectedContainers)) return performance.now() - startedAt;
    if (performance.now() - startedAt > options.timeoutMs) {
      const pending = containers.filter((container) => !isSettledContainer(container)).map((container) => `${container.Names[0]} ${container.Status}`);
      throw new Error(
        `${projectName}: not settled after ${Math.round(options.timeoutMs / 1000)} s (${containers.length}/${options.expectedContainers} containers; ${pending.slice(0, 3).join(', ')})`,
      );
    }
    await delay(options.pollMs ?? 50);
  }
}

export async function containerIdOf(engine: EnginePort, projectName: string, service: string): Promise<string> {
  const containers = (await projectContainers(engine, projectName)).filter((container) => container.Labels[COMPOSE_SERVICE] === service);
  if (containers.length !== 1) throw new Error(`${projectName}: expected one container of ${service}, found ${containers.length}`);
  return containers[0]!.Id;
}

/** Force-removes the project's containers, networks and volumes (each checked to carry the project label,
 * so a broken filter cannot touch anyone else's objects). Idempotent. Resolves with the networks the
 * engine refused to remove because it still counts endpoints on them (see sweepProject). */
export async function removeProjectObjects(engine: EnginePort, projectName: string): Promise<string[]> {
  const filters = { label: [projectFilter(projectName)] };
  const inProject = (labels: Record<string, string> | null) => labels?.[COMPOSE_PROJECT] === projectName;
  const containers = await projectContainers(engine, projectName);
  await forEachLimited(containers, 8, (container) => ignoreNotFound(engine.removeContainer(container.Id, { force: true, removeVolumes: true })));
  const networks = (await engine.listNetworks(filters)).filter((network) => inProject(network.Labels));
  const stuck: string[] = [];
  await Promise.all(
    networks.map(async (network) => {
      try {
        await ignoreNotFound(engine.removeNetwork(network.Id));
      } catch (error) {
        if (!/active endpoints/.test(error instanceof Error ? error.message : String(error))) throw error;
        stuck.push(network.Name);
      }
    }),
  );
  const volumes = (await engine.listVolumes(filters)).filter((volume) => inProject(volume.Labels));
  await Promise.all(volumes.map((volume) => ignoreNotFound(engine.removeVolume(volume.Name))));
  return stuck;
}

/** Runs `work` over the items, at most `limit` at a time (hundreds of parallel removals choke the engine). */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** removeProjectObjects, tried again while it fails or leaves networks: the engine may still be finishing
 * a removal someone else started. A network it keeps refusing ("active endpoints" with no container
 * attached: engine 20.10 sometimes keeps a stale endpoint, e.g. around a dockerd restart; only another
 * restart clears it) is returned rather than thrown, so the run can go on and report it. */
export async function sweepProject(engine: EnginePort, projectName: string, options: { attempts?: number; pauseMs?: number } = {}): Promise<string[]> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const stuck = await removeProjectObjects(engine, projectName);
      if (stuck.length === 0 || attempt >= attempts) return stuck;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
    await delay(options.pauseMs ?? 2_000);
  }
}

async function ignoreNotFound(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
