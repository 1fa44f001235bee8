import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { additionalNetworks, buildContainerSpec, containerName, imageFor } from '../../src/actuators/container-spec.js';
import { endpointSettings } from '../../src/actuators/container-networks.js';
import { buildNetworkSpec } from '../../src/actuators/network-spec.js';
import { buildVolumeSpec } from '../../src/actuators/volume-spec.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';

// Parity with the legacy docker-compose (Debian's Compose v1.29, installed by
// scripts/install-legacy-compose.sh): the same compose file created by it and by composelet's spec
// builders must give the engine the same container, field by field. Known v1 differences are mapped, not
// asserted: container names (`<p>_<s>_1` vs `<p>-<s>-1`), the project prefix of network and volume names,
// and the container-id alias the engine adds to a started container.

const execFileAsync = promisify(execFile);
const engine = testEngine();
const fixture = join(import.meta.dirname, 'testdata', 'parity', 'compose.yaml');
const legacyProject = uniqueProjectName('parity-v1');
const composeletProject = uniqueProjectName('parity');

interface Inspected {
  Id: string;
  Config: Record<string, unknown> & { Env: string[]; Labels: Record<string, string> };
  HostConfig: Record<string, unknown>;
  Mounts: Array<{ Type: string; Name?: string; Source: string; Destination: string; RW: boolean }>;
  NetworkSettings: { Networks: Record<string, { Aliases: string[] | null }> };
}

interface Side {
  projectName: string;
  inspect: Inspected;
}

let directory: string;
let file: string;
let legacy: Side;
let composelet: Side;

async function dockerCompose(args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker-compose', ['-p', legacyProject, '-f', file, ...args], { cwd: directory });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    throw new Error(`docker-compose ${args.join(' ')} failed: ${stderr || String(error)}`, { cause: error });
  }
}

async function inspectContainer(name: string): Promise<Inspected> {
  return (JSON.parse(await runDocker(['inspect', name])) as Inspected[])[0]!;
}

async function createWithLegacyCompose(): Promise<Side> {
  try {
    await execFileAsync('docker-compose', ['version', '--short']);
  } catch (error) {
    throw new Error('docker-compose (Compose v1) is not installed: run scripts/install-legacy-compose.sh', { cause: error });
  }
  await dockerCompose(['up', '--no-start']);
  // v1 attaches a container to its non-primary networks only when it starts it.
  await dockerCompose(['start']);
  return { projectName: legacyProject, inspect: await inspectContainer(`${legacyProject}_app_1`) };
}

async function createWithComposelet(): Promise<Side> {
  const result = loadDesiredState(directory, { projectName: composeletProject, environment: {} });
  if (!result.ok) throw new Error(`fixture rejected: ${JSON.stringify(result.issues)}`);
  const project = result.state.projects[0]!;
  for (const network of Object.values(project.networks)) await engine.createNetwork({ ...buildNetworkSpec(project.name, network) });
  for (const volume of Object.values(project.volumes)) await engine.createVolume({ ...buildVolumeSpec(project.name, volume) });
  const service = project.services['app']!;
  const name = containerName(project, service, 1);
  const { Id } = await engine.createContainer(name, { ...buildContainerSpec(project, service, { number: 1, image: imageFor(project, service) }) });
  for (const attachment of additionalNetworks(project, service)) {
    await engine.connectNetwork(attachment.name, { Container: Id, EndpointConfig: endpointSettings(attachment) });
  }
  return { projectName: composeletProject, inspect: await inspectContainer(name) };
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'composelet-parity-'));
  file = join(directory, 'compose.yaml');
  copyFileSync(fixture, file);
  mkdirSync(join(directory, 'site'));
  legacy = await createWithLegacyCompose();
  composelet = await createWithComposelet();
});

afterAll(async () => {
  // Both projects' objects carry `com.docker.compose.project`, so one cleanup serves both.
  await removeProjectObjects(engine, legacyProject);
  await removeProjectObjects(engine, composeletProject);
});

/** A project-prefixed engine name without its prefix ("p_data" -> "data"). */
function unprefixed(side: Side, name: string): string {
  return name.startsWith(`${side.projectName}_`) ? name.slice(side.projectName.length + 1) : name;
}

const userLabels = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).filter(([key]) => !key.startsWith('com.docker.compose.') && !key.startsWith('io.composelet.')));

type Field = [field: string, pick: (side: Side) => unknown];

const config = (key: string) => (side: Side) => side.inspect.Config[key];
const host = (key: string) => (side: Side) => side.inspect.HostConfig[key];

const fields: Field[] = [
  ['Config.Image', config('Image')],
  ['Config.Cmd', config('Cmd')],
  ['Config.Entrypoint', config('Entrypoint')],
  ['Config.Env', (side) => side.inspect.Config.Env.filter((entry) => !entry.startsWith('PATH=')).sort()],
  ['Config.User', config('User')],
  ['Config.WorkingDir', config('WorkingDir')],
  ['Config.ExposedPorts', config('ExposedPorts')],
  ['Config.Healthcheck', config('Healthcheck')],
  ['Config.Labels (user labels)', (side) => userLabels(side.inspect.Config.Labels)],
  ['HostConfig.Memory', host('Memory')],
  ['HostConfig.MemorySwap', host('MemorySwap')],
  ['HostConfig.NanoCpus', host('NanoCpus')],
  ['HostConfig.PidsLimit', host('PidsLimit')],
  ['HostConfig.RestartPolicy', host('RestartPolicy')],
  ['HostConfig.Init', host('Init')],
  ['HostConfig.ReadonlyRootfs', host('ReadonlyRootfs')],
  ['HostConfig.CapAdd', host('CapAdd')],
  ['HostConfig.CapDrop', host('CapDrop')],
  ['HostConfig.SecurityOpt', host('SecurityOpt')],
  ['HostConfig.Tmpfs', host('Tmpfs')],
  [
    'HostConfig.Ulimits',
    (side) => [...((side.inspect.HostConfig['Ulimits'] as Array<{ Name: string }> | null) ?? [])].sort((left, right) => left.Name.localeCompare(right.Name)),
  ],
  ['HostConfig.ExtraHosts', host('ExtraHosts')],
  ['HostConfig.Dns', host('Dns')],
  ['HostConfig.PortBindings', host('PortBindings')],
  ['HostConfig.Devices', host('Devices')],
  ['HostConfig.Runtime', host('Runtime')],
  ['Config.MacAddress', config('MacAddress')],
  ['HostConfig.NetworkMode (primary network)', (side) => unprefixed(side, String(side.inspect.HostConfig['NetworkMode']))],
  [
    'Mounts (by destination: type, RW, source)',
    (side) =>
      Object.fromEntries(
        side.inspect.Mounts.map((mount) => [
          mount.Destination,
          { type: mount.Type, rw: mount.RW, source: mount.Type === 'volume' ? unprefixed(side, mount.Name ?? '') : mount.Source },
        ]),
      ),
  ],
  [
    'NetworkSettings.Networks (aliases)',
    (side) =>
      Object.fromEntries(
        Object.entries(side.inspect.NetworkSettings.Networks).map(([name, endpoint]) => [
          unprefixed(side, name),
          (endpoint.Aliases ?? []).filter((alias) => alias !== side.inspect.Id.slice(0, 12)).sort(),
        ]),
      ),
  ],
];

describe('parity with docker-compose v1.29', () => {
  it.each(fields)('%s must be what docker-compose sets', (_field, pick) => {
    expect(pick(composelet)).toEqual(pick(legacy));
  });

  it('the compared fields must be set, so an empty match cannot pass', () => {
    expect([
      legacy.inspect.Mounts.length,
      Object.keys(legacy.inspect.NetworkSettings.Networks).length,
      legacy.inspect.HostConfig['Memory'],
      userLabels(legacy.inspect.Config.Labels),
      (legacy.inspect.HostConfig['Devices'] as unknown[] | null)?.length,
      legacy.inspect.Config['MacAddress'],
    ]).toEqual([2, 2, 64 * 2 ** 20, { team: 'parity', tier: 'web' }, 2, '02:42:ac:11:ee:01']);
  });
});
