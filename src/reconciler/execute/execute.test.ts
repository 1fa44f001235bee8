import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeEngine, type FakeContainer, type FakeStep } from '../../../test/support/fake-engine.js';
import { EngineUnavailableError } from '../../engine/engine-errors.js';
import type { ContainerCreateSpec } from '../../actuators/container-spec.js';
import type { BuildSpec, Limits, Network, Volume } from '../../desired-state/model.js';
import { execute, type ExecuteOptions, type ExecutionEvent } from './execute.js';
import { BUILD_HASH, SPEC_HASH } from '../labels.js';
import type { ObservedContainer } from '../observe/observed-state.js';
import { PlanBuilder, type OperationDraft } from '../plan/plan-builder.js';
import type { Plan, WaitCondition } from '../plan/plan.js';

// Executor tests against the fake engine: exact calls, in order, and what each operation's result says.

function planOf(...drafts: OperationDraft[]): Plan {
  const builder = new PlanBuilder('demo');
  for (const draft of drafts) builder.add(draft);
  return builder.build();
}

const base = (resourceId: string, service: string | null, dependsOn: number[]) => ({ resourceId, service, cause: 'test', dependsOn });

function spec(extra: Partial<ContainerCreateSpec> = {}): ContainerCreateSpec {
  return {
    Image: 'busybox',
    Env: [],
    ExposedPorts: {},
    Labels: { [SPEC_HASH]: 'hash-new' },
    Tty: false,
    OpenStdin: false,
    HostConfig: {},
    NetworkingConfig: { EndpointsConfig: {} },
    ...extra,
  };
}

const create = (name: string, dependsOn: number[] = [], extra: { spec?: ContainerCreateSpec; inheritFrom?: string } = {}): OperationDraft => ({
  kind: 'create-container',
  ...base(`container:${name}`, serviceOf(name), dependsOn),
  name,
  spec: extra.spec ?? spec(),
  inheritAnonymousVolumesFrom: extra.inheritFrom ?? null,
  nameImageVolumes: null,
  files: [],
});
const start = (container: string, dependsOn: number[] = []): OperationDraft => ({
  kind: 'start-container',
  ...base(`container:${container}`, serviceOf(container), dependsOn),
  container,
  postStart: [],
});
const stop = (container: string, dependsOn: number[] = []): OperationDraft => ({
  kind: 'stop-container',
  ...base(`container:${container}`, serviceOf(container), dependsOn),
  container,
  signal: null,
  timeoutSeconds: 10,
  preStop: [],
});
const remove = (container: string, dependsOn: number[] = []): OperationDraft => ({
  kind: 'remove-container',
  ...base(`container:${container}`, serviceOf(container), dependsOn),
  container,
  removeAnonymousVolumes: false,
});
const rename = (container: string, newName: string, dependsOn: number[] = []): OperationDraft => ({
  kind: 'rename-container',
  ...base(`container:${newName}`, serviceOf(newName), dependsOn),
  container,
  newName,
});
const wait = (container: string, condition: WaitCondition, dependsOn: number[] = [], timeoutSeconds: number | null = null): OperationDraft => ({
  kind: 'wait',
  ...base(`container:${container}`, serviceOf(container), dependsOn),
  container,
  condition,
  timeoutSeconds,
});

/** `demo-api-1` -> `api`. */
function serviceOf(name: string): string {
  return name.split('-')[1] ?? name;
}

function observedOf(container: FakeContainer): ObservedContainer {
  return {
    id: container.id,
    name: container.name,
    project: 'demo',
    service: serviceOf(container.name),
    number: 1,
    owned: true,
    specHash: container.labels[SPEC_HASH] ?? null,
    limitsHash: null,
    state: container.status,
    health: null,
    exitCode: null,
    image: 'busybox',
    imageId: 'sha256:image',
    labels: { ...container.labels },
    networks: [],
    created: 0,
    volumeMounts: [],
      limits: null,
  };
}

/** Time moves only when the executor sleeps. */
function fakeClock() {
  let time = 0;
  return { now: () => time, sleep: async (milliseconds: number) => void (time += milliseconds) };
}

function run(plan: Plan, engine: FakeEngine, options: Partial<ExecuteOptions> = {}) {
  return execute(plan, engine, { observedContainers: [], ...fakeClock(), ...options });
}

function statuses(report: Awaited<ReturnType<typeof execute>>): string[] {
  return report.results.map((result) => `[${result.id}] ${result.status}${result.error !== undefined ? `: ${result.error}` : ''}`);
}

describe('execute', () => {
  it('execute must run a chain in dependency order, one engine call per operation', async () => {
    const engine = new FakeEngine();
    engine.delay('createContainer', 5, { target: 'demo-db-1' });
    const plan = planOf(create('demo-db-1'), start('demo-db-1', [0]), create('demo-api-1', [1]), start('demo-api-1', [2]));
    const report = await run(plan, engine);
    expect(engine.describeCalls()).toEqual([
      'createContainer demo-db-1',
      'startContainer demo-db-1',
      'createContainer demo-api-1',
      'startContainer demo-api-1',
    ]);
    expect(report.totals).toEqual({ succeeded: 4, failed: 0, skipped: 0, abandoned: 0, unneeded: 0 });
  });

  it('execute must start an operation only after every operation it depends on succeeded', async () => {
    const engine = new FakeEngine();
    engine.delay('createContainer', 10, { target: 'demo-db-1' });
    engine.delay('createContainer', 2, { target: 'demo-cache-1' });
    const plan = planOf(
      create('demo-db-1'),
      create('demo-cache-1'),
      start('demo-db-1', [0]),
      start('demo-cache-1', [1]),
      create('demo-api-1', [2, 3]),
      start('demo-api-1', [4]),
    );
    await run(plan, engine);
    const calls = engine.describeCalls();
    const position = (call: string) => calls.indexOf(call);
    expect(calls).toHaveLength(6);
    expect(position('startContainer demo-cache-1')).toBeLessThan(position('startContainer demo-db-1'));
    expect(position('createContainer demo-api-1')).toBeGreaterThan(position('startContainer demo-db-1'));
    expect(position('startContainer demo-api-1')).toBe(5);
  });

  it('execute must keep at most `concurrency` engine operations in flight', async () => {
    const engine = new FakeEngine();
    engine.delay('createContainer', 5);
    const plan = planOf(...Array.from({ length: 10 }, (_, index) => create(`demo-web-${index + 1}`)));
    const report = await run(plan, engine, { concurrency: 3 });
    expect(engine.maxInFlight).toBe(3);
    expect(report.totals.succeeded).toBe(10);
  });

  it('waits must not count toward concurrency', async () => {
    const engine = new FakeEngine();
    const database = engine.addContainer({ name: 'demo-db-1', health: 'starting', labels: { [SPEC_HASH]: 'hash-db' } });
    const clock = fakeClock();
    // The database turns healthy only once the web container runs: a wait holding the only slot would time out.
    const sleep = async (milliseconds: number) => {
      await clock.sleep(milliseconds);
      if (engine.container('demo-web-1').status === 'running') database.health = 'healthy';
    };
    const plan = planOf(wait('demo-db-1', 'healthy'), create('demo-web-1'), start('demo-web-1', [1]));
    const report = await execute(plan, engine, { observedContainers: [], concurrency: 1, now: clock.now, sleep, waitTimeoutMs: 5_000 });
    expect(statuses(report)).toEqual(['[0] succeeded', '[1] succeeded', '[2] succeeded']);
  });

  it('a failed operation must skip its dependents and only them', async () => {
    const engine = new FakeEngine();
    engine.failWith('createContainer', new Error('create container failed: no such image: api:1 (HTTP 404)'), { target: 'demo-api-1' });
    const plan = planOf(
      create('demo-api-1'),
      start('demo-api-1', [0]),
      create('demo-worker-1', [1]),
      create('demo-db-1'),
      start('demo-db-1', [3]),
    );
    const report = await run(plan, engine);
    expect(statuses(report)).toEqual([
      '[0] failed: create container failed: no such image: api:1 (HTTP 404)',
      '[1] skipped: dependency [0] failed',
      '[2] skipped: dependency [1] was skipped',
      '[3] succeeded',
      '[4] succeeded',
    ]);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([
      'createContainer demo-api-1',
      'createContainer demo-db-1',
      'startContainer demo-db-1',
    ]);
    expect(report.totals).toEqual({ succeeded: 2, failed: 1, skipped: 2, abandoned: 0, unneeded: 0 });
  });

  it('execute must report events in order: started, then succeeded, failed or skipped', async () => {
    const engine = new FakeEngine();
    engine.failWith('startContainer', new Error('port is already allocated'));
    const events: string[] = [];
    const onEvent = (event: ExecutionEvent) => events.push(`${event.type} [${event.operation.id}]${event.error !== undefined ? ` ${event.error}` : ''}`);
    await run(planOf(create('demo-api-1'), start('demo-api-1', [0]), wait('demo-api-1', 'running', [1])), engine, { onEvent });
    expect(events).toEqual([
      'started [0]',
      'succeeded [0]',
      'started [1]',
      'failed [1] port is already allocated',
      'skipped [2] dependency [1] failed',
    ]);
  });

  it('an empty plan must resolve at once with an empty report', async () => {
    const engine = new FakeEngine();
    const report = await run(planOf(), engine);
    expect(report).toEqual({ results: [], totals: { succeeded: 0, failed: 0, skipped: 0, abandoned: 0, unneeded: 0 }, durationMs: 0 });
    expect(engine.calls).toEqual([]);
  });

  it('an operation waiting on an id that never runs must fail instead of hanging', async () => {
    const engine = new FakeEngine();
    const report = await run(planOf(create('demo-api-1', [7]), start('demo-api-1', [0])), engine);
    expect(statuses(report)).toEqual([
      '[0] failed: dependency [7] never ran (unknown id or a dependency cycle)',
      '[1] skipped: dependency [0] failed',
    ]);
  });

  it('an unreachable engine must fail the operations that remain with its message', async () => {
    const engine = new FakeEngine();
    const unavailable = new EngineUnavailableError('unix:///var/run/docker.sock', 'connect ECONNREFUSED');
    engine.failWith('createContainer', unavailable, { target: 'demo-api-1' });
    const plan = planOf(create('demo-api-1'), create('demo-db-1'), create('demo-web-1'));
    const report = await run(plan, engine, { concurrency: 1 });
    expect(report.results.map((result) => [result.status, result.error])).toEqual([
      ['failed', unavailable.message],
      ['failed', unavailable.message],
      ['failed', unavailable.message],
    ]);
    expect(engine.describeCalls()).toEqual(['createContainer demo-api-1']);
  });

  it('an aborted run must start nothing new and let the operation in flight finish', async () => {
    const engine = new FakeEngine();
    engine.delay('createContainer', 5);
    const controller = new AbortController();
    const onEvent = (event: ExecutionEvent) => {
      if (event.type === 'started') controller.abort();
    };
    const plan = planOf(create('demo-api-1'), create('demo-db-1'), start('demo-api-1', [0]));
    const report = await run(plan, engine, { concurrency: 1, onEvent, signal: controller.signal });
    expect(statuses(report)).toEqual([
      '[0] succeeded',
      '[1] abandoned: stopped before it started',
      '[2] abandoned: stopped before it started',
    ]);
    expect(engine.describeCalls()).toEqual(['createContainer demo-api-1']);
    expect(report.totals.abandoned).toBe(2);
  });
});

describe('compare-before-mutate', () => {
  function existing(engine: FakeEngine) {
    const container = engine.addContainer({ name: 'demo-api-1', status: 'running', labels: { [SPEC_HASH]: 'hash-old' } });
    return { container, observed: [observedOf(container)] };
  }

  it('an unchanged container must be stopped and removed, each after a fresh inspection', async () => {
    const engine = new FakeEngine();
    const { container, observed } = existing(engine);
    const report = await run(planOf(stop(container.id), remove(container.id, [0])), engine, { observedContainers: observed });
    expect(statuses(report)).toEqual(['[0] succeeded', '[1] succeeded']);
    expect(engine.describeCalls()).toEqual([
      `inspectContainer ${container.id}`,
      `stopContainer ${container.id}`,
      `inspectContainer ${container.id}`,
      `removeContainer ${container.id}`,
    ]);
  });

  it.each<[string, (engine: FakeEngine, container: FakeContainer) => void, string]>([
    ['stopped by someone', (_engine, container) => void (container.status = 'exited'), 'was running, now exited'],
    ['recreated by someone', (_engine, container) => void (container.labels[SPEC_HASH] = 'hash-other'), 'spec hash hash-old is now hash-other'],
    [
      'replaced under the same name',
      (engine, container) => {
        engine.containers.delete(container.id);
        engine.addContainer({ name: 'demo-api-1', labels: { [SPEC_HASH]: 'hash-old' } });
      },
      'id ',
    ],
  ])('a container %s must be left alone, and so must its dependents', async (_title, change, expected) => {
    const engine = new FakeEngine();
    const { observed } = existing(engine);
    change(engine, engine.container('demo-api-1'));
    const report = await run(planOf(stop('demo-api-1'), remove('demo-api-1', [0])), engine, { observedContainers: observed });
    expect(report.results[0]?.status).toBe('skipped');
    expect(report.results[0]?.error).toMatch(/^container changed since it was observed \(.*\); the next reconcile will look again$/);
    expect(report.results[0]?.error).toContain(expected);
    expect(report.results[1]).toMatchObject({ status: 'skipped', error: 'dependency [0] was skipped' });
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([]);
  });

  it('a container that is gone must be skipped, not failed', async () => {
    const engine = new FakeEngine();
    const { container, observed } = existing(engine);
    engine.containers.delete(container.id);
    const report = await run(planOf(remove(container.id)), engine, { observedContainers: observed });
    expect(statuses(report)).toEqual([
      '[0] skipped: container changed since it was observed (it is gone); the next reconcile will look again',
    ]);
  });

  it('a replacement must inspect the old container but never the one this plan created', async () => {
    const engine = new FakeEngine();
    const { container, observed } = existing(engine);
    const temporary = `${container.id.slice(0, 12)}_demo-api-1`;
    const plan = planOf(
      create(temporary, [], { inheritFrom: container.id }),
      stop(container.id, [0]),
      remove(container.id, [1]),
      rename(temporary, 'demo-api-1', [2]),
      start('demo-api-1', [3]),
    );
    const report = await run(plan, engine, { observedContainers: observed });
    expect(report.totals.succeeded).toBe(5);
    expect(engine.describeCalls()).toEqual([
      `inspectContainer ${container.id}`,
      `createContainer ${temporary}`,
      `inspectContainer ${container.id}`,
      `stopContainer ${container.id}`,
      `inspectContainer ${container.id}`,
      `removeContainer ${container.id}`,
      `renameContainer ${temporary}`,
      'startContainer demo-api-1',
    ]);
    expect(engine.container('demo-api-1').status).toBe('running');
  });
});

describe('anonymous volumes', () => {
  it('a replacement must inherit the anonymous volumes its spec does not mount', async () => {
    const engine = new FakeEngine();
    const anonymousData = 'a'.repeat(64);
    const anonymousCache = 'b'.repeat(64);
    const old = engine.addContainer({
      name: 'demo-db-1',
      mounts: [
        { Type: 'volume', Name: anonymousData, Source: `/var/lib/docker/volumes/${anonymousData}/_data`, Destination: '/data', RW: true },
        { Type: 'volume', Name: anonymousCache, Source: `/var/lib/docker/volumes/${anonymousCache}/_data`, Destination: '/cache', RW: true },
        { Type: 'volume', Name: 'demo_logs', Source: '/var/lib/docker/volumes/demo_logs/_data', Destination: '/logs', RW: true },
        { Type: 'bind', Source: '/srv/conf', Destination: '/etc/conf', RW: false },
      ],
    });
    const cacheMount = { Type: 'volume', Source: 'demo_cache', Target: '/cache' };
    const newSpec = spec({ HostConfig: { Mounts: [cacheMount], Binds: ['/srv/conf:/etc/conf:ro'] } });
    await run(planOf(create('demo-db-1-new', [], { spec: newSpec, inheritFrom: old.id })), engine, { observedContainers: [observedOf(old)] });
    const [name, body] = engine.argsOf('createContainer')[0] ?? [];
    expect(name).toBe('demo-db-1-new');
    expect((body as ContainerCreateSpec).HostConfig['Mounts']).toEqual([cacheMount, { Type: 'volume', Source: anonymousData, Target: '/data' }]);
    expect(newSpec.HostConfig['Mounts']).toEqual([cacheMount]);
  });

  it('an anonymous volume the new spec declares again must take the old volume as its source', async () => {
    const engine = new FakeEngine();
    const anonymousData = 'c'.repeat(64);
    const old = engine.addContainer({
      name: 'demo-store-1',
      mounts: [{ Type: 'volume', Name: anonymousData, Source: `/var/lib/docker/volumes/${anonymousData}/_data`, Destination: '/anonymous', RW: true }],
    });
    const newSpec = spec({ HostConfig: { Mounts: [{ Type: 'volume', Target: '/anonymous' }] } });
    await run(planOf(create('demo-store-1-new', [], { spec: newSpec, inheritFrom: old.id })), engine, { observedContainers: [observedOf(old)] });
    const [, body] = engine.argsOf('createContainer')[0] ?? [];
    expect((body as ContainerCreateSpec).HostConfig['Mounts']).toEqual([{ Type: 'volume', Target: '/anonymous', Source: anonymousData }]);
  });
});

describe('waits', () => {
  const service = (steps: FakeStep[], extra: { healthcheck?: boolean } = {}) => {
    const engine = new FakeEngine();
    engine.afterStart('demo-db-1', steps);
    const dbSpec = spec(extra.healthcheck === false ? {} : { Healthcheck: { Test: ['CMD', 'true'] } });
    return { engine, dbSpec };
  };

  it.each<[string, WaitCondition, FakeStep[], boolean, string]>([
    ['turns healthy', 'healthy', [{ health: 'starting' }, { health: 'starting' }, { health: 'healthy' }], true, 'succeeded'],
    ['completes with 0', 'completed-successfully', [{ status: 'running' }, { status: 'exited', exitCode: 0 }], true, 'succeeded'],
    ['completes with 1', 'completed-successfully', [{ status: 'running' }, { status: 'exited', exitCode: 1 }], true, 'failed: exited with code 1'],
    ['exits before it is healthy', 'healthy', [{ health: 'starting' }, { status: 'exited', exitCode: 2 }], true, 'failed: exited with code 2 before it was healthy'],
    ['turns unhealthy', 'healthy', [{ health: 'unhealthy' }], true, 'failed: is unhealthy'],
    ['has no healthcheck', 'healthy', [], false, 'failed: has no healthcheck'],
    ['runs', 'running', [], false, 'succeeded'],
    ['ran and exited already', 'running', [{ status: 'exited', exitCode: 0 }], false, 'succeeded'],
  ])('a wait on a container that %s must end as expected, and its dependents follow', async (_title, condition, steps, healthcheck, expected) => {
    const { engine, dbSpec } = service(steps, { healthcheck });
    const plan = planOf(
      create('demo-db-1', [], { spec: dbSpec }),
      start('demo-db-1', [0]),
      wait('demo-db-1', condition, [1]),
      create('demo-api-1', [2]),
    );
    const report = await run(plan, engine);
    expect(statuses(report)[2]).toBe(`[2] ${expected}`);
    expect(report.results[3]?.status).toBe(expected === 'succeeded' ? 'succeeded' : 'skipped');
    expect(engine.describeCalls().filter((call) => call === 'createContainer demo-api-1')).toHaveLength(expected === 'succeeded' ? 1 : 0);
  });

  it('a wait must poll every pollIntervalMs and time out with the condition in the message', async () => {
    const { engine, dbSpec } = service([{ health: 'starting' }]);
    const clock = fakeClock();
    const plan = planOf(create('demo-db-1', [], { spec: dbSpec }), start('demo-db-1', [0]), wait('demo-db-1', 'healthy', [1]));
    const report = await execute(plan, engine, { observedContainers: [], ...clock, waitTimeoutMs: 1_000, pollIntervalMs: 250 });
    expect(report.results[2]).toMatchObject({ status: 'failed', error: 'timed out after 1s waiting for healthy', durationMs: 1_000 });
    expect(engine.describeCalls().filter((call) => call.startsWith('inspectContainer'))).toHaveLength(5);
    expect(clock.now()).toBe(1_000);
  });

  it("a wait's own timeout must win over the default", async () => {
    const { engine, dbSpec } = service([{ health: 'starting' }]);
    const clock = fakeClock();
    const plan = planOf(create('demo-db-1', [], { spec: dbSpec }), start('demo-db-1', [0]), wait('demo-db-1', 'healthy', [1], 3));
    const report = await execute(plan, engine, { observedContainers: [], ...clock, waitTimeoutMs: 1_000 });
    expect(report.results[2]?.error).toBe('timed out after 3s waiting for healthy');
    expect(clock.now()).toBe(3_000);
  });

  it('a wait in flight must stop when the run is aborted', async () => {
    const { engine, dbSpec } = service([{ health: 'starting' }]);
    const controller = new AbortController();
    const clock = fakeClock();
    const sleep = async (milliseconds: number) => {
      await clock.sleep(milliseconds);
      if (clock.now() === 500) controller.abort();
    };
    const plan = planOf(create('demo-db-1', [], { spec: dbSpec }), start('demo-db-1', [0]), wait('demo-db-1', 'healthy', [1]), create('demo-api-1', [2]));
    const report = await execute(plan, engine, { observedContainers: [], now: clock.now, sleep, signal: controller.signal });
    expect(statuses(report).slice(2)).toEqual(['[2] abandoned: stopped while waiting', '[3] abandoned: stopped before it started']);
    expect(clock.now()).toBe(500);
  });
});

describe('engine calls', () => {
  const network: Network = {
    key: 'default',
    name: 'demo_default',
    external: false,
    driver: null,
    driverOpts: {},
    internal: false,
    attachable: false,
    enableIpv6: false,
    ipam: null,
    labels: {},
  };
  const volume: Volume = { key: 'data', name: 'demo_data', external: false, driver: null, driverOpts: {}, labels: {} };

  it('each operation kind must make exactly its one engine call with the expected arguments', async () => {
    const engine = new FakeEngine();
    const plan = planOf(
      { kind: 'create-network', ...base('network:demo_default', null, []), network, projectName: 'demo' },
      { kind: 'create-volume', ...base('volume:demo_data', null, []), volume, projectName: 'demo' },
      { kind: 'pull-image', ...base('image:redis:7', 'cache', []), image: 'redis:7' },
      create('demo-api-1', [0, 1, 2]),
      {
        kind: 'connect-network',
        ...base('container:demo-api-1', 'api', [3]),
        container: 'demo-api-1',
        network: 'demo_default',
        aliases: ['api'],
        ipv4Address: '172.30.0.5',
        ipv6Address: null,
      },
      start('demo-api-1', [4]),
      { ...stop('demo-api-1', [5]), signal: 'SIGINT', timeoutSeconds: 3 } as OperationDraft,
      remove('demo-api-1', [6]),
      { kind: 'remove-network', ...base('network:demo_default', null, [7]), network: 'demo_default' },
      { kind: 'remove-volume', ...base('volume:demo_data', null, [7]), volume: 'demo_data' },
    );
    const report = await run(plan, engine);
    expect(statuses(report).filter((line) => !line.endsWith('succeeded'))).toEqual([]);
    expect(engine.calls.map((call) => [call.method, ...call.args])).toEqual([
      ['createNetwork', expect.objectContaining({ Name: 'demo_default', Labels: expect.objectContaining({ 'com.docker.compose.project': 'demo' }) })],
      ['createVolume', expect.objectContaining({ Name: 'demo_data', Labels: expect.objectContaining({ 'com.docker.compose.volume': 'data' }) })],
      ['pullImage', 'redis:7'],
      ['createContainer', 'demo-api-1', spec()],
      ['connectNetwork', 'demo_default', { Container: 'demo-api-1', EndpointConfig: { Aliases: ['api'], IPAMConfig: { IPv4Address: '172.30.0.5' } } }],
      ['startContainer', 'demo-api-1'],
      ['stopContainer', 'demo-api-1', { timeoutSeconds: 3, signal: 'SIGINT' }],
      ['removeContainer', 'demo-api-1', { force: false, removeVolumes: false }],
      ['removeNetwork', 'demo_default'],
      ['removeVolume', 'demo_data'],
    ]);
  });

  it('a build must send the context as a tar and stamp the build hash on the image', async () => {
    const context = await mkdtemp(join(tmpdir(), 'composelet-execute-'));
    try {
      await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
      await writeFile(join(context, 'hello.txt'), 'hello\n');
      const engine = new FakeEngine();
      const build: BuildSpec = { context, dockerfile: 'Dockerfile', args: { VERSION: '1.2', UNSET: null }, target: 'prod' };
      const plan = planOf({ kind: 'build-image', ...base('image:demo-api', 'api', []), image: 'demo-api', build, buildHash: 'hash-build' });
      const report = await run(plan, engine);
      expect(statuses(report)).toEqual(['[0] succeeded']);
      expect(engine.argsOf('buildImage').map(([, options]) => options)).toEqual([
        { tag: 'demo-api', dockerfile: 'Dockerfile', buildArgs: { VERSION: '1.2' }, target: 'prod', labels: { [BUILD_HASH]: 'hash-build' } },
      ]);
      const tar = engine.buildContexts.get('demo-api')?.toString('latin1') ?? '';
      expect(tar).toContain('Dockerfile');
      expect(tar).toContain('hello.txt');
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  });

  it.each<[string, Limits, Record<string, unknown>]>([
    [
      'memory without swap',
      { memoryBytes: 256 * 2 ** 20, memoryReservationBytes: null, memswapBytes: null, nanoCpus: 500_000_000, cpuShares: null, pidsLimit: 100 },
      { Memory: 256 * 2 ** 20, MemoryReservation: 0, MemorySwap: 512 * 2 ** 20, NanoCpus: 500_000_000, CpuShares: 0, PidsLimit: 100 },
    ],
    [
      'nothing set',
      { memoryBytes: null, memoryReservationBytes: null, memswapBytes: null, nanoCpus: null, cpuShares: null, pidsLimit: null },
      { Memory: 0, MemoryReservation: 0, MemorySwap: 0, NanoCpus: 0, CpuShares: 0, PidsLimit: -1 },
    ],
    [
      'everything set',
      { memoryBytes: 100, memoryReservationBytes: 50, memswapBytes: 300, nanoCpus: 1, cpuShares: 512, pidsLimit: 7 },
      { Memory: 100, MemoryReservation: 50, MemorySwap: 300, NanoCpus: 1, CpuShares: 512, PidsLimit: 7 },
    ],
  ])('an update with %s must send the engine its limits', async (_title, limits, expected) => {
    const engine = new FakeEngine();
    const container = engine.addContainer({ name: 'demo-api-1', labels: { [SPEC_HASH]: 'hash-old' } });
    const plan = planOf({
      kind: 'update-container',
      ...base('container:demo-api-1', 'api', []),
      container: container.id,
      limits,
      restart: { name: 'on-failure', maximumRetryCount: 3 },
      changes: ['test'],
    });
    await run(plan, engine, { observedContainers: [observedOf(container)] });
    expect(engine.argsOf('updateContainer')).toEqual([[container.id, { ...expected, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } }]]);
  });
});

describe('execute: fallbacks', () => {
  const fallback = (draft: OperationDraft, onFailureOf: number[]): OperationDraft => ({ ...draft, onFailureOf });
  const forcedRemove = (container: string): OperationDraft => ({
    kind: 'remove-container',
    ...base(`container:${container}`, serviceOf(container), []),
    container,
    removeAnonymousVolumes: false,
    force: true,
    ignoreMissing: true,
  });
  /** A replacement of demo-api-1 (compose-made, v1 name demo_api_1) with the way back. */
  const replacement = () =>
    planOf(
      create('demo-api-1'),
      stop('demo_api_1', [0]),
      start('demo-api-1', [0, 1]),
      wait('demo-api-1', 'running', [2], 5),
      remove('demo_api_1', [3]),
      fallback(forcedRemove('demo-api-1'), [0, 1, 2, 3]),
      fallback(start('demo_api_1', [5]), [0, 1, 2, 3]),
    );

  it('when the replacement fails to start, the old container must be started again and the replacement removed', async () => {
    const engine = new FakeEngine();
    const old = engine.addContainer({ name: 'demo_api_1', status: 'running' });
    engine.failWith('startContainer', new Error('port is already allocated'), { target: 'demo-api-1' });
    const report = await run(replacement(), engine, { observedContainers: [observedOf(old)] });
    expect(statuses(report)).toEqual([
      '[0] succeeded',
      '[1] succeeded',
      '[2] failed: port is already allocated',
      '[3] skipped: dependency [2] failed',
      '[4] skipped: dependency [3] was skipped',
      '[5] succeeded',
      '[6] succeeded',
    ]);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([
      'createContainer demo-api-1',
      'stopContainer demo_api_1',
      'startContainer demo-api-1',
      'removeContainer demo-api-1',
      'startContainer demo_api_1',
    ]);
    expect(engine.container('demo_api_1').status).toBe('running');
  });

  it('when every step succeeds, the fallbacks must not run and count as unneeded', async () => {
    const engine = new FakeEngine();
    const old = engine.addContainer({ name: 'demo_api_1', status: 'running' });
    const report = await run(replacement(), engine, { observedContainers: [observedOf(old)] });
    expect(statuses(report).slice(5)).toEqual(['[5] unneeded', '[6] unneeded']);
    expect(report.totals).toEqual({ succeeded: 5, failed: 0, skipped: 0, abandoned: 0, unneeded: 2 });
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([
      'createContainer demo-api-1',
      'stopContainer demo_api_1',
      'startContainer demo-api-1',
      'removeContainer demo_api_1',
    ]);
  });

  it('when the sequence never started (an earlier dependency failed), the fallbacks must not run', async () => {
    const engine = new FakeEngine();
    const old = engine.addContainer({ name: 'demo_api_1', status: 'running' });
    engine.failWith('createContainer', new Error('no such image'), { target: 'demo-db-1' });
    const plan = planOf(
      create('demo-db-1'),
      create('demo-api-1', [0]),
      stop('demo_api_1', [1]),
      fallback(forcedRemove('demo-api-1'), [1, 2]),
      fallback(start('demo_api_1', [3]), [1, 2]),
    );
    const report = await run(plan, engine, { observedContainers: [observedOf(old)] });
    expect(statuses(report).slice(3)).toEqual(['[3] unneeded', '[4] unneeded']);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['createContainer demo-db-1']);
  });

  it('a replacement that was never created must count as removed for the fallback', async () => {
    const engine = new FakeEngine();
    const old = engine.addContainer({ name: 'demo_api_1', status: 'running' });
    engine.failWith('createContainer', new Error('invalid mount config'), { target: 'demo-api-1' });
    const report = await run(replacement(), engine, { observedContainers: [observedOf(old)] });
    expect(statuses(report)[5]).toBe('[5] succeeded');
    expect(engine.container('demo_api_1').status).toBe('running');
  });
});
