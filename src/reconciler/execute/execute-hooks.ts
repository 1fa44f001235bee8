import { containerFilesTar, type ContainerFile } from '../../actuators/container-files.js';
import type { LifecycleHook } from '../../desired-state/model.js';
import type { ContainerCreateBody, EnginePort } from '../../engine/engine-port.js';
import { isConflict, isNotFound } from '../../engine/engine-errors.js';

// The mechanical parts of starting and stopping a container that the plan carries as data: files copied
// in after the create, `post_start` hooks after the start, `pre_stop` hooks before the stop. Each hook is
// an exec that is waited for, in order, as docker/compose v2 runs them (pkg/compose/hook.go, convergence.go
// `startService`, down.go `stopContainer`):
// - a post_start hook that exits non-zero fails the start operation (the container stays running, as in
//   Compose; its dependents are skipped);
// - a pre_stop hook that exits non-zero fails the stop operation and the container is NOT stopped (Compose
//   returns the hook's error before ContainerStop); a container that no longer runs (the engine answers
//   409/404 to the exec) skips its hooks and is stopped as usual.
// Messages name the hook by kind, position and command; never its environment or output.

/**
 * Creates the container, then copies the files into it in one tar extracted at "/"; returns its id. A
 * container whose files could not be copied is removed again: it must never be started without them.
 */
export async function createWithFiles(engine: EnginePort, name: string, body: ContainerCreateBody, files: readonly ContainerFile[]): Promise<string> {
  const created = await engine.createContainer(name, body);
  if (files.length === 0) return created.Id;
  try {
    await engine.putArchive(created.Id, '/', containerFilesTar(files));
  } catch (error) {
    await engine.removeContainer(created.Id, { force: true, removeVolumes: false }).catch(() => undefined);
    const targets = files.map((file) => file.target).join(', ');
    throw new Error(`copying ${targets} into the new container failed: ${messageOf(error)}`, { cause: error });
  }
  return created.Id;
}

export async function runPostStartHooks(engine: EnginePort, container: string, hooks: readonly LifecycleHook[]): Promise<void> {
  for (const [index, hook] of hooks.entries()) {
    const exitCode = await runHook(engine, container, hook, describeHook('post_start', index, hook));
    if (exitCode !== 0) throw new Error(`${describeHook('post_start', index, hook)} exited with code ${exitCode}`);
  }
}

/** Runs the hooks; false when the container no longer runs (nothing to run them in). */
export async function runPreStopHooks(engine: EnginePort, container: string, hooks: readonly LifecycleHook[]): Promise<boolean> {
  for (const [index, hook] of hooks.entries()) {
    let exitCode: number;
    try {
      exitCode = await runHook(engine, container, hook, describeHook('pre_stop', index, hook));
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return false;
      throw error;
    }
    if (exitCode !== 0) {
      throw new Error(`${describeHook('pre_stop', index, hook)} exited with code ${exitCode}; the container was not stopped`);
    }
  }
  return true;
}

async function runHook(engine: EnginePort, container: string, hook: LifecycleHook, description: string): Promise<number> {
  try {
    const { exitCode } = await engine.execCommand(container, {
      command: hook.command,
      user: hook.user,
      privileged: hook.privileged,
      workingDir: hook.workingDir,
      environment: hook.environment,
    });
    return exitCode;
  } catch (error) {
    if (isConflict(error) || isNotFound(error)) throw error;
    throw new Error(`${description} could not run: ${messageOf(error)}`, { cause: error });
  }
}

/** `post_start hook 1 (touch /tmp/started)`: position from 1, command words joined. */
export function describeHook(kind: 'post_start' | 'pre_stop', index: number, hook: Pick<LifecycleHook, 'command'>): string {
  return `${kind} hook ${index + 1} (${hook.command.join(' ')})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
