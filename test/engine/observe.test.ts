import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainerSpec, containerName, imageFor } from '../../src/actuators/container-spec.js';
import { endpointSettings, additionalNetworks } from '../../src/actuators/container-networks.js';
import { buildNetworkSpec } from '../../src/actuators/network-spec.js';
import { buildVolumeSpec } from '../../src/actuators/volume-spec.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { Project } from '../../src/desired-state/model.js';
import { countingEngine } from '../../src/engine/counting-engine.js';
import type { EnginePort } from '../../src/engine/engine-port.js';
import { COMPOSE_PROJECT } from '../../src/reconciler/labels.js';
import { observe } from '../../src/reconciler/observe/observe.js';
import type { ObservedState } from '../../src/reconciler/observe/observed-state.js';
import { eventually } from '../support/eventually.js';
import { removeProjectObjects, TEST_IMAGE, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';

// observe() against the real engine: one list call per kind, inspects only where the limits label
// differs, and a normalized, sorted snapshot of the project (and only the project).

const engine = testEngine();
const projectName = uniqueProjectName('observe');
const otherProjectName = uniqueProjectName('observe-other');
const externalNetworkName = `${projectName}-outside`;

function manifest(memoryLimit: string): string {
  return `
services:
  web:
    image: ${TEST_IMAGE}
    init: true
    command: ["sleep", "86400"]
    mem_limit: ${memoryLimit}
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
    networks: [default, extra]
    volumes: ["data:/data"]
  job:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "exit 3"]
networks:
  extra: {}
  outside:
    external: true
    name: ${externalNetworkName}
volumes:
  data: {}
`;
}

function loadProject(name: string, memoryLimit: string): Project {
  const directory = writeManifestTree({ 'compose.yaml': manifest(memoryLimit) });
  const result = loadDesiredState(directory, { projectName: name, environment: {} });
  if (!result.ok) throw new Error(`fixture rejected: ${JSON.stringify(result.issues)}`);
  return result.state.projects[0]!;
}

/** Creates the project's networks, volumes and containers straight from the spec builders. */
async function createProject(target: EnginePort, project: Project, options: { start: string[] }): Promise<void> {
  for (const network of Object.values(project.networks)) {
    if (!network.external) await target.createNetwork({ ...buildNetworkSpec(project.name, network) });
  }
  for (const volume of Object.values(project.volumes)) await target.createVolume({ ...buildVolumeSpec(project.name, volume) });
  for (const service of Object.values(project.services)) {
    const name = containerName(project, service, 1);
    const { Id } = await target.createContainer(name, { ...buildContainerSpec(project, service, { number: 1, image: imageFor(project, service) }) });
    for (const attachment of additionalNetworks(project, service)) {
      await target.connectNetwork(attachment.name, { Container: Id, EndpointConfig: endpointSettings(attachment) });
    }
    if (options.start.includes(service.name)) await target.startContainer(Id);
  }
}

const project = loadProject(projectName, '64m');
let settled: ObservedState;

beforeAll(async () => {
  await engine.createNetwork({ Name: externalNetworkName, CheckDuplicate: true, Labels: {} });
  await createProject(engine, project, { start: ['web', 'job'] });
  // Another project's objects must stay out of the snapshot.
  await createProject(engine, loadProject(otherProjectName, '64m'), { start: [] });
  // Compose's label without composelet's: seen, not owned, never inspected.
  await engine.createContainer(`${projectName}-stranger-1`, {
    Image: TEST_IMAGE,
    Cmd: ['true'],
    Labels: { [COMPOSE_PROJECT]: projectName, 'com.docker.compose.service': 'web' },
  });
  settled = await eventually(
    async () => {
      const observed = await observe(engine, project);
      const web = observed.containers.find((container) => container.service === 'web' && container.owned);
      const job = observed.containers.find((container) => container.service === 'job');
      if (web?.health !== 'healthy' || job?.state !== 'exited') throw new Error(`web ${web?.health}, job ${job?.state}`);
      return observed;
    },
    { timeoutMs: 30_000, message: 'web healthy and job exited' },
  );
});

afterAll(async () => {
  await removeProjectObjects(engine, projectName);
  await removeProjectObjects(engine, otherProjectName);
  await engine.removeNetwork(externalNetworkName);
});

describe('observe', () => {
  it('observe must make one list call per kind and no other call when every limits label matches', async () => {
    const counting = countingEngine(engine);
    await observe(counting.engine, project);
    expect(counting.counts()).toEqual({ listContainers: 1, listNetworks: 1, listVolumes: 1, listImages: 1 });
  });

  it('observe must inspect only the owned containers whose limits label differs from the desired one', async () => {
    const counting = countingEngine(engine);
    const observed = await observe(counting.engine, loadProject(projectName, '128m'));
    expect(counting.counts()).toEqual({ listContainers: 1, listNetworks: 1, listVolumes: 1, listImages: 1, inspectContainer: 1 });
    expect(counting.mutatingCalls()).toBe(0);
    const limitsByName = Object.fromEntries(observed.containers.map((container) => [container.name, container.limits]));
    expect(limitsByName).toEqual({
      [`${projectName}-job-1`]: null,
      [`${projectName}-stranger-1`]: null,
      [`${projectName}-web-1`]: expect.objectContaining({ memoryBytes: 64 * 2 ** 20, restart: { name: 'no', maximumRetryCount: 0 } }),
    });
  });

  it('observe must list every container of the project, owned or not, sorted by name', () => {
    expect(settled.containers.map((container) => [container.name, container.owned])).toEqual([
      [`${projectName}-job-1`, true],
      [`${projectName}-stranger-1`, false],
      [`${projectName}-web-1`, true],
    ]);
  });

  it('observe must read health, state and exit code from the list call', () => {
    const byService = (service: string) => settled.containers.find((container) => container.service === service && container.owned)!;
    expect([byService('web').state, byService('web').health, byService('web').exitCode]).toEqual(['running', 'healthy', null]);
    expect([byService('job').state, byService('job').exitCode]).toEqual(['exited', 3]);
  });

  it('observe must read labels, number, hashes and networks of an owned container', () => {
    const web = settled.containers.find((container) => container.name === `${projectName}-web-1`)!;
    const service = project.services['web']!;
    expect({ ...web, id: 'id', imageId: 'image-id', created: 0, labels: {} }).toEqual({
      id: 'id',
      name: `${projectName}-web-1`,
      project: projectName,
      service: 'web',
      number: 1,
      owned: true,
      specHash: service.specHash,
      limitsHash: expect.stringMatching(/^[0-9a-f]{32}$/),
      state: 'running',
      health: 'healthy',
      exitCode: null,
      image: TEST_IMAGE,
      imageId: 'image-id',
      labels: {},
      networks: [`${projectName}_default`, `${projectName}_extra`],
      created: 0,
      // From the list call's Mounts: the volumes it mounts, by name and target (no inspect).
      volumeMounts: [{ name: `${projectName}_data`, target: '/data' }],
      limits: null,
    });
    expect(web.labels).toEqual(buildContainerSpec(project, service, { number: 1, image: TEST_IMAGE }).Labels);
  });

  it("observe must include the project's networks and the external one it names, and no other", () => {
    expect(settled.networks.map((network) => [network.name, network.owned])).toEqual([
      [`${projectName}-outside`, false],
      [`${projectName}_default`, true],
      [`${projectName}_extra`, true],
    ]);
  });

  it("observe must include the project's volumes and no other", () => {
    expect(settled.volumes.map((volume) => [volume.name, volume.owned])).toEqual([[`${projectName}_data`, true]]);
  });

  it('observe must list local images with their tags', () => {
    expect(settled.images.some((image) => image.tags.includes(TEST_IMAGE))).toBe(true);
  });
});
