import type { EnginePort } from '../../src/engine/engine-port.js';
import type { DockerCli } from './docker-cli.js';
import type { PlannedFault } from './schedule.js';
import { MEMORY_LIMIT_BYTES, NETWORK } from './stack.js';

// One fault, injected the way an operator, a stray script or a crash would. Controller faults and manifest
// edits go through the run's hooks (it owns the controller process and the compose file).

export interface FaultHooks {
  engine: EnginePort;
  /** The docker CLI on the run's engine. */
  docker: DockerCli;
  projectName: string;
  /** The service's container id, or null when it has none right now. */
  containerOf(service: string): Promise<string | null>;
  /** SIGKILLs the controller and starts it again (with the crash point, when given). */
  restartController(options: { crashAt: string | null }): Promise<void>;
  /** Resolves with how the controller ended, or 'still running' after the timeout. */
  controllerExit(timeoutMs: number): Promise<string>;
  /** Writes the manifest with the service at this generation. */
  setGeneration(service: string, generation: number): void;
  generationOf(service: string): number;
  /** Stops the run's own engine with SIGTERM and starts it again; null on the shared engine. */
  restartEngine: (() => Promise<void>) | null;
  /** Resolves once the service's container runs the generation, or throws at the deadline. */
  waitForGeneration(service: string, generation: number, timeoutMs: number): Promise<void>;
  now(): number;
}

export interface Injection {
  /** When healing is measured from (an edit: when the value was written back). */
  from: number;
  /** What happened beside the fault itself (e.g. whether a crash point fired). */
  detail: string | null;
}

export class FaultNotInjected extends Error {}

export async function injectFault(fault: PlannedFault, hooks: FaultHooks): Promise<Injection> {
  const { engine } = hooks;
  if (fault.kind === 'controller-kill') {
    const from = hooks.now();
    await hooks.restartController({ crashAt: null });
    return { from, detail: null };
  }
  if (fault.kind === 'engine-restart') {
    if (hooks.restartEngine === null) throw new FaultNotInjected('engine-restart needs an engine of the run\'s own (--engine private)');
    const stoppedAt = hooks.now();
    await hooks.restartEngine();
    // Healing is measured from the engine answering again: while it is down nobody can heal anything.
    const from = hooks.now();
    return { from, detail: `engine down ${((from - stoppedAt) / 1000).toFixed(1)} s (SIGTERM to dockerd, then a new dockerd)` };
  }
  const service = fault.service!;
  if (fault.kind === 'edit') {
    const original = hooks.generationOf(service);
    hooks.setGeneration(service, original + 1);
    let detail: string | null = null;
    try {
      await hooks.waitForGeneration(service, original + 1, 60_000);
    } catch (error) {
      detail = `the changed value was not applied: ${error instanceof Error ? error.message : String(error)}`;
    }
    const from = hooks.now();
    hooks.setGeneration(service, original);
    return { from, detail };
  }
  if (fault.kind === 'crash-recreate') {
    const from = hooks.now();
    await hooks.restartController({ crashAt: fault.crashAt });
    hooks.setGeneration(service, hooks.generationOf(service) + 1);
    const ended = await hooks.controllerExit(60_000);
    await hooks.restartController({ crashAt: null });
    return { from, detail: `crash point ${fault.crashAt}: controller ${ended}` };
  }
  const containerId = await hooks.containerOf(service);
  if (containerId === null) throw new FaultNotInjected(`${service} has no container to ${fault.kind}`);
  const from = hooks.now();
  switch (fault.kind) {
    case 'kill':
      await engine.killContainer(containerId, 'SIGKILL');
      break;
    case 'stop':
      await engine.stopContainer(containerId, { timeoutSeconds: 10, signal: null });
      break;
    case 'rm':
      // `docker rm -f`, without -v: the container's anonymous volumes stay on the engine, dangling.
      await engine.removeContainer(containerId, { force: true, removeVolumes: false });
      break;
    case 'update':
      await engine.updateContainer(containerId, { Memory: MEMORY_LIMIT_BYTES * 2, MemorySwap: MEMORY_LIMIT_BYTES * 4 });
      break;
    case 'disconnect':
      await engine.disconnectNetwork(`${hooks.projectName}_${NETWORK}`, { Container: containerId, Force: true });
      break;
    case 'pause':
      await hooks.docker(['pause', containerId]);
      break;
    case 'rename':
      await engine.renameContainer(containerId, `${hooks.projectName}-${service}-renamed-${fault.index}`);
      break;
  }
  return { from, detail: null };
}
