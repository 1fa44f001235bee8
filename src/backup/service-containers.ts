import { setTimeout as delay } from 'node:timers/promises';
import type { Project } from '../desired-state/model.js';
import type { ContainerInspect } from '../engine/engine-port.js';
import { COMPOSE_CONTAINER_NUMBER, COMPOSE_ONEOFF, COMPOSE_PROJECT, COMPOSE_SERVICE, isOwned } from '../reconciler/labels.js';
import type { BackupEngine } from './backup-engine.js';

// The containers of a service as backups see them (composelet's own, not one-offs, by number), and
// stopping and starting them: stop only what runs, restart only what was stopped, in dependency order.

export interface ServiceContainer {
  id: string;
  name: string;
  number: number;
  running: boolean;
  inspect: ContainerInspect;
}

export async function serviceContainers(engine: BackupEngine, projectName: string, service: string): Promise<ServiceContainer[]> {
  const summaries = await engine.listContainers({ label: [`${COMPOSE_PROJECT}=${projectName}`, `${COMPOSE_SERVICE}=${service}`] });
  const owned = summaries.filter((summary) => isOwned(summary.Labels) && summary.Labels[COMPOSE_ONEOFF] !== 'True');
  const containers: ServiceContainer[] = [];
  for (const summary of owned) {
    const inspect = await engine.inspectContainer(summary.Id);
    containers.push({ id: summary.Id, name: inspect.Name.replace(/^\//, ''), number: Number(summary.Labels[COMPOSE_CONTAINER_NUMBER] ?? 0), running: inspect.State.Running, inspect });
  }
  return containers.sort((left, right) => left.number - right.number);
}

/** The container to back up from: the lowest-numbered running one, else (when allowed) any. */
export async function targetContainer(engine: BackupEngine, projectName: string, service: string, options: { mustRun: boolean }): Promise<ServiceContainer> {
  const containers = await serviceContainers(engine, projectName, service);
  const running = containers.find((container) => container.running);
  if (running) return running;
  if (!options.mustRun && containers[0]) return containers[0];
  throw new Error(containers.length === 0 ? `service "${service}" has no container: apply the project first` : `service "${service}" is not running`);
}

export interface StopOptions {
  project: Project;
  /** In the order to stop them. */
  services: string[];
}

/** Stops the running containers of the services, in order; returns what it stopped, to restart later. */
export async function stopServices(engine: BackupEngine, options: StopOptions): Promise<ServiceContainer[]> {
  const stopped: ServiceContainer[] = [];
  try {
    for (const serviceName of options.services) {
      const service = options.project.services[serviceName];
      for (const container of await serviceContainers(engine, options.project.name, serviceName)) {
        if (!container.running) continue;
        const timeoutSeconds = service?.stopGracePeriodNs ? Math.ceil(service.stopGracePeriodNs / 1e9) : 10;
        await engine.stopContainer(container.id, { timeoutSeconds, signal: service?.stopSignal ?? null });
        stopped.push(container);
      }
    }
  } catch (error) {
    // Half-way: start again what this call stopped, so a failed stop never leaves services down.
    await startContainers(engine, [...stopped].reverse()).catch(() => undefined);
    throw error;
  }
  return stopped;
}

/** Starts containers (in the order given, which should be dependency order) and waits until each runs,
 * and is healthy when it has a healthcheck. Tries them all; throws the first failure at the end. */
export async function startContainers(engine: BackupEngine, containers: readonly ServiceContainer[], options: { timeoutMs?: number } = {}): Promise<void> {
  let firstError: unknown = null;
  for (const container of containers) {
    try {
      await engine.startContainer(container.id);
      await waitUntilReady(engine, container.id, options.timeoutMs ?? 120_000);
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError) throw firstError;
}

export async function waitUntilReady(engine: BackupEngine, containerId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inspect = await engine.inspectContainer(containerId);
    const health = inspect.State.Health?.Status;
    if (inspect.State.Running && (health === undefined || health === 'healthy')) return;
    if (!inspect.State.Running && inspect.State.Status === 'exited') throw new Error(`${inspect.Name.replace(/^\//, '')} exited with code ${inspect.State.ExitCode}`);
    if (Date.now() > deadline) throw new Error(`${inspect.Name.replace(/^\//, '')} is not ready after ${Math.round(timeoutMs / 1000)}s (${health ?? inspect.State.Status})`);
    await delay(200);
  }
}
