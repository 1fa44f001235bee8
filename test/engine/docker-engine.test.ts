import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildContextTar } from '../../src/actuators/build-context.js';
import { countingEngine } from '../../src/engine/counting-engine.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { EngineUnavailableError, ImageOperationError, isConflict, isNotFound } from '../../src/engine/engine-errors.js';
import type { EngineEvent, EnginePort } from '../../src/engine/engine-port.js';
import { COMPOSE_PROJECT, projectFilter } from '../../src/reconciler/labels.js';
import { TERM_AWARE_COMMAND, TEST_IMAGE, removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

let engine: EnginePort;
let projectName: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(() => {
  engine = testEngine();
  projectName = uniqueProjectName('engine');
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await removeProjectObjects(engine, projectName);
});

const labels = () => ({ [COMPOSE_PROJECT]: projectName });

async function createContainer(name: string, options: { cmd?: string[]; labels?: Record<string, string> } = {}) {
  const { Id } = await engine.createContainer(`${projectName}-${name}`, {
    Image: TEST_IMAGE,
    Cmd: options.cmd ?? TERM_AWARE_COMMAND,
    Labels: { ...labels(), ...options.labels },
  });
  return Id;
}

describe('containers', () => {
  it('must create, start, inspect, stop and remove a container', async () => {
    const containerId = await createContainer('web', { labels: { role: 'web' } });
    expect((await engine.inspectContainer(containerId)).State.Status).toBe('created');
    await engine.startContainer(containerId);
    const running = await engine.inspectContainer(containerId);
    expect(running.State.Running).toBe(true);
    expect(running.Name).toBe(`/${projectName}-web`);
    expect(running.Config.Labels).toMatchObject({ role: 'web', [COMPOSE_PROJECT]: projectName });
    await engine.stopContainer(containerId, { timeoutSeconds: 10, signal: null });
    expect((await engine.inspectContainer(containerId)).State.Status).toBe('exited');
    await engine.removeContainer(containerId, { force: false, removeVolumes: true });
    await expect(engine.inspectContainer(containerId)).rejects.toSatisfy(isNotFound);
  });

  it('must treat starting a running container and stopping a stopped one as done', async () => {
    const containerId = await createContainer('idempotent');
    await engine.startContainer(containerId);
    await engine.startContainer(containerId);
    await engine.stopContainer(containerId, { timeoutSeconds: 10, signal: null });
    await engine.stopContainer(containerId, { timeoutSeconds: 10, signal: null });
    await engine.stopContainer(containerId, { timeoutSeconds: 10, signal: 'SIGTERM' });
    expect((await engine.inspectContainer(containerId)).State.Running).toBe(false);
  });

  it('must stop with the given signal, which a shell trapping it exits on at once', async () => {
    const containerId = await createContainer('trap', { cmd: ['sh', '-c', "trap 'exit 42' USR1; sleep 86400 & wait"] });
    await engine.startContainer(containerId);
    const startedAt = Date.now();
    await engine.stopContainer(containerId, { timeoutSeconds: 30, signal: 'SIGUSR1' });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    const stopped = await engine.inspectContainer(containerId);
    expect(stopped.State).toMatchObject({ Running: false, ExitCode: 42 });
  });

  it('must kill a container that ignores the stop signal once the timeout passes', async () => {
    const containerId = await createContainer('stubborn', { cmd: ['sleep', '86400'] });
    await engine.startContainer(containerId);
    await engine.stopContainer(containerId, { timeoutSeconds: 1, signal: 'SIGTERM' });
    const stopped = await engine.inspectContainer(containerId);
    expect(stopped.State).toMatchObject({ Running: false, ExitCode: 137 });
  });

  it('must resolve waitContainer with the exit code once the container stops', async () => {
    const containerId = await createContainer('exits', { cmd: ['sh', '-c', "trap 'exit 7' TERM; sleep 86400 & wait"] });
    await engine.startContainer(containerId);
    let settled = false;
    const waiting = engine.waitContainer(containerId).finally(() => (settled = true));
    expect((await engine.inspectContainer(containerId)).State.Running).toBe(true);
    expect(settled).toBe(false);
    await engine.killContainer(containerId, 'SIGTERM');
    expect(await waiting).toMatchObject({ StatusCode: 7 });
  });

  it('must rename a container and update its limits in place', async () => {
    const containerId = await createContainer('old');
    await engine.startContainer(containerId);
    await engine.renameContainer(containerId, `${projectName}-new`);
    await engine.updateContainer(containerId, { Memory: 64 * 1024 * 1024, MemorySwap: 128 * 1024 * 1024, PidsLimit: 50 });
    const updated = await engine.inspectContainer(containerId);
    expect(updated.Name).toBe(`/${projectName}-new`);
    expect(updated.HostConfig).toMatchObject({ Memory: 64 * 1024 * 1024, PidsLimit: 50 });
    expect(updated.State.Running).toBe(true);
  });

  it('must report a name already in use as a conflict and a missing container as not found', async () => {
    await createContainer('taken');
    await expect(createContainer('taken')).rejects.toSatisfy(isConflict);
    await expect(engine.startContainer(`${projectName}-missing`)).rejects.toSatisfy(isNotFound);
  });

  it('must list only containers whose labels match every filter', async () => {
    const web = await createContainer('web', { labels: { role: 'web' } });
    const database = await createContainer('db', { labels: { role: 'db' } });
    const all = await engine.listContainers({ label: [projectFilter(projectName)] });
    expect(all.map((container) => container.Id).sort()).toEqual([web, database].sort());
    const webOnly = await engine.listContainers({ label: [projectFilter(projectName), 'role=web'] });
    expect(webOnly.map((container) => container.Id)).toEqual([web]);
    expect(await engine.listContainers({ label: [projectFilter(`${projectName}-other`)] })).toEqual([]);
  });
});

describe('networks and volumes', () => {
  it('must create a network, connect and disconnect a container, and remove it', async () => {
    const networkName = `${projectName}_default`;
    const { Id: networkId } = await engine.createNetwork({ Name: networkName, Labels: labels() });
    const containerId = await createContainer('member');
    await engine.startContainer(containerId);
    await engine.connectNetwork(networkId, { Container: containerId, EndpointConfig: { Aliases: ['member'] } });
    const connected = await engine.inspectContainer(containerId);
    expect(connected.NetworkSettings.Networks[networkName]?.Aliases).toContain('member');
    await engine.disconnectNetwork(networkId, { Container: containerId });
    expect((await engine.inspectContainer(containerId)).NetworkSettings.Networks[networkName]).toBeUndefined();
    expect((await engine.listNetworks({ label: [projectFilter(projectName)] })).map((network) => network.Id)).toEqual([networkId]);
    await engine.removeNetwork(networkId);
    expect(await engine.listNetworks({ label: [projectFilter(projectName)] })).toEqual([]);
  });

  it('must create, list by label and remove volumes', async () => {
    const { Name: dataName } = await engine.createVolume({ Name: `${projectName}_data`, Labels: { ...labels(), role: 'data' } });
    await engine.createVolume({ Name: `${projectName}_cache`, Labels: { ...labels(), role: 'cache' } });
    const data = await engine.listVolumes({ label: [projectFilter(projectName), 'role=data'] });
    expect(data.map((volume) => volume.Name)).toEqual([dataName]);
    await engine.removeVolume(dataName);
    const remaining = await engine.listVolumes({ label: [projectFilter(projectName)] });
    expect(remaining.map((volume) => volume.Name)).toEqual([`${projectName}_cache`]);
  });
});

describe('events', () => {
  it('must yield a start event for a container started while listening, and end on close', async () => {
    const stream = await engine.events({ type: ['container'], label: [projectFilter(projectName)] });
    const seen: EngineEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) seen.push(event);
    })();
    const containerId = await createContainer('evented');
    await engine.startContainer(containerId);
    await eventually(() => {
      expect(seen.some((event) => event.Action === 'start' && event.Actor.ID === containerId)).toBe(true);
    }, { message: 'start event' });
    expect(seen.every((event) => event.Type === 'container')).toBe(true);
    stream.close();
    await reading;
  });
});

describe('images', () => {
  async function contextDirectory(dockerfile: string): Promise<string> {
    const context = await mkdtemp(join(tmpdir(), 'composelet-build-'));
    cleanups.push(() => rm(context, { recursive: true, force: true }));
    await writeFile(join(context, 'Dockerfile'), dockerfile);
    return context;
  }

  it('must build an image from a tar context with the given labels', async () => {
    const tag = `composelet-test/${projectName}:1`;
    cleanups.push(() => runDocker(['rmi', '-f', tag]));
    const context = await contextDirectory(`FROM ${TEST_IMAGE}\nARG GREETING\nLABEL greeting=$GREETING\n`);
    const build = { context, dockerfile: 'Dockerfile', args: {}, target: null };
    await engine.buildImage(buildContextTar(build), {
      tag,
      dockerfile: 'Dockerfile',
      buildArgs: { GREETING: 'hello' },
      labels: { 'io.composelet.build-hash': 'abc123' },
    });
    const image = await engine.inspectImage(tag);
    expect(image.RepoTags).toContain(tag);
    expect(image.Config?.Labels).toMatchObject({ greeting: 'hello', 'io.composelet.build-hash': 'abc123' });
    const listed = await engine.listImages({ label: ['io.composelet.build-hash=abc123'], name: [`composelet-test/${projectName}`] });
    expect(listed.map((summary) => summary.Id)).toEqual([image.Id]);
  });

  it('must reject with the build error when a step fails', async () => {
    const tag = `composelet-test/${projectName}-broken:1`;
    cleanups.push(() => runDocker(['rmi', '-f', tag]));
    const context = await contextDirectory(`FROM ${TEST_IMAGE}\nRUN echo failing && exit 3\n`);
    const build = engine.buildImage(buildContextTar({ context, dockerfile: 'Dockerfile', args: {}, target: null }), {
      tag,
      dockerfile: 'Dockerfile',
      buildArgs: {},
      labels: {},
    });
    await expect(build).rejects.toThrow(ImageOperationError);
    await expect(build).rejects.toThrow(/returned a non-zero code: 3/);
    await expect(engine.inspectImage(tag)).rejects.toSatisfy(isNotFound);
  });

  it('must report an unreadable context as the read error, not as an unreachable engine', async () => {
    const context = { context: '/nonexistent/composelet-context', dockerfile: 'Dockerfile', args: {}, target: null };
    const build = engine.buildImage(buildContextTar(context), { tag: `composelet-test/${projectName}-none:1`, dockerfile: 'Dockerfile', buildArgs: {}, labels: {} });
    await expect(build).rejects.toThrow(/ENOENT.*nonexistent\/composelet-context/);
    await expect(build).rejects.not.toBeInstanceOf(EngineUnavailableError);
  });
});

describe('errors and counting', () => {
  it('must report an unreachable engine as one line naming the address', async () => {
    const unreachable = createDockerEngine({ dockerHost: 'unix:///nonexistent.sock' });
    const error = await unreachable.listContainers({}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    const message = (error as EngineUnavailableError).message;
    expect(message).toContain('unix:///nonexistent.sock');
    expect(message).not.toContain('\n');
    expect((error as EngineUnavailableError).transient).toBe(true);
  });

  it('must count the real calls made through the counting wrapper', async () => {
    const counting = countingEngine(engine);
    const { Id: containerId } = await counting.engine.createContainer(`${projectName}-counted`, {
      Image: TEST_IMAGE,
      Cmd: TERM_AWARE_COMMAND,
      Labels: labels(),
    });
    await counting.engine.listContainers({ label: [projectFilter(projectName)] });
    await counting.engine.inspectContainer(`${projectName}-missing`).catch(() => undefined);
    await counting.engine.removeContainer(containerId, { force: true, removeVolumes: true });
    expect(counting.counts()).toEqual({ createContainer: 1, listContainers: 1, inspectContainer: 1, removeContainer: 1 });
    expect(counting.errors()).toEqual({ inspectContainer: 1 });
    expect(counting.mutatingCalls()).toBe(2);
  });
});
