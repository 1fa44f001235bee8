import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { isNotFound } from '../../src/engine/engine-errors.js';
import type { EnginePort } from '../../src/engine/engine-port.js';
import { COMPOSE_PROJECT, projectFilter } from '../../src/reconciler/labels.js';

// Helpers for tests against the real engine: an engine port, project names that never collide, cleanup
// of everything a test project created, and the docker CLI for setting up out-of-band state.

export const TEST_IMAGE = 'composelet/busybox:1';

/** Ends on SIGTERM at once (sleep and httpd as PID 1 ignore it, so stops would wait the grace period). */
export const TERM_AWARE_COMMAND = ['sh', '-c', "trap 'exit 0' TERM; sleep 86400 & wait"];

const execFileAsync = promisify(execFile);

export function testEngine(): EnginePort {
  const dockerHost = process.env['DOCKER_HOST'];
  return createDockerEngine(dockerHost === undefined ? {} : { dockerHost });
}

/** `<prefix>-<6 hex>`, lower-case, safe as a Compose project name. */
export function uniqueProjectName(prefix: string): string {
  const cleaned = prefix.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 20);
  return `${cleaned || 'test'}-${randomBytes(3).toString('hex')}`;
}

/** Force-removes every container, network and volume labelled with the project. For afterEach only:
 * it ignores objects that are already gone. */
export async function removeProjectObjects(engine: EnginePort, projectName: string): Promise<void> {
  const filters = { label: [projectFilter(projectName)] };
  // Checked again here: a broken filter must never make cleanup remove other people's objects.
  const inProject = (objectLabels: Record<string, string> | null) => objectLabels?.[COMPOSE_PROJECT] === projectName;
  const containers = (await engine.listContainers(filters)).filter((container) => inProject(container.Labels));
  await Promise.all(
    containers.map((container) =>
      ignoreNotFound(engine.removeContainer(container.Id, { force: true, removeVolumes: true })),
    ),
  );
  const networks = (await engine.listNetworks(filters)).filter((network) => inProject(network.Labels));
  await Promise.all(networks.map((network) => removeNetworkOfRemovedContainers(engine, network.Id)));
  const volumes = (await engine.listVolumes(filters)).filter((volume) => inProject(volume.Labels));
  await Promise.all(volumes.map((volume) => ignoreNotFound(engine.removeVolume(volume.Name))));
}

/** dockerd 20.10 can still count an endpoint of a container it has just removed ("has active endpoints").
 * Every container of the project is gone by now, so an endpoint it still lists is force-disconnected and
 * the removal tried again, a few times. When the engine lists no endpoint and still refuses (a stale one
 * only a dockerd restart clears), the network is left with a warning: the engine's state, not the test's. */
async function removeNetworkOfRemovedContainers(engine: EnginePort, networkId: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ignoreNotFound(engine.removeNetwork(networkId));
      return;
    } catch (error) {
      if (!String((error as Error).message).includes('has active endpoints')) throw error;
      const endpoints = (await runDocker(['network', 'inspect', '--format', '{{range .Containers}}{{.Name}}\n{{end}}', networkId]).catch(() => ''))
        .split('\n')
        .filter(Boolean);
      if (attempt >= 5) {
        if (endpoints.length > 0) throw error;
        process.stderr.write(`cleanup: the engine keeps network ${networkId} (a stale endpoint, no container attached); left in place\n`);
        return;
      }
      for (const name of endpoints) await engine.disconnectNetwork(networkId, { Container: name, Force: true }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

async function ignoreNotFound(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** Runs the docker CLI and returns its stdout; a failure says which command and what docker printed. */
export async function runDocker(args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    throw new Error(`docker ${args.join(' ')} failed: ${stderr || String(error)}`, { cause: error });
  }
}
