import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../test/support/fake-engine.js';
import type { ContainerFile } from '../../actuators/container-files.js';
import type { ContainerCreateSpec } from '../../actuators/container-spec.js';
import type { LifecycleHook } from '../../desired-state/model.js';
import { EngineRequestError } from '../../engine/engine-errors.js';
import { execute } from './execute.js';
import { PlanBuilder, type OperationDraft } from '../plan/plan-builder.js';
import type { Plan } from '../plan/plan.js';

// The executor runs what the plan carries, mechanically: files are copied in between the create and the
// start, post_start hooks run (and are waited for) right after the start, pre_stop hooks right before the
// stop. Exact calls against the fake engine.

function planOf(...drafts: OperationDraft[]): Plan {
  const builder = new PlanBuilder('demo');
  for (const draft of drafts) builder.add(draft);
  return builder.build();
}

const base = (name: string, dependsOn: number[]) => ({ resourceId: `container:${name}`, service: 'api', cause: 'test', dependsOn });
const spec: ContainerCreateSpec = {
  Image: 'busybox',
  Env: [],
  ExposedPorts: {},
  Labels: {},
  Tty: false,
  OpenStdin: false,
  HostConfig: {},
  NetworkingConfig: { EndpointsConfig: {} },
} as ContainerCreateSpec;

const hook = (command: string, environment: Record<string, string> = {}): LifecycleHook => ({
  command: command.split(' '),
  user: null,
  privileged: false,
  workingDir: null,
  environment,
});

const file = (target: string, content: string, extra: Partial<ContainerFile> = {}): ContainerFile => ({
  source: `secret:${target.split('/').pop()}`,
  target,
  uid: 0,
  gid: 0,
  mode: 0o444,
  content,
  sha256: 'x'.repeat(64),
  ...extra,
});

const create = (name: string, files: ContainerFile[] = []): OperationDraft => ({
  kind: 'create-container',
  ...base(name, []),
  name,
  spec,
  inheritAnonymousVolumesFrom: null,
  nameImageVolumes: null,
  files,
});
const start = (name: string, dependsOn: number[], postStart: LifecycleHook[] = []): OperationDraft => ({
  kind: 'start-container',
  ...base(name, dependsOn),
  container: name,
  postStart,
});
const stop = (name: string, dependsOn: number[], preStop: LifecycleHook[] = []): OperationDraft => ({
  kind: 'stop-container',
  ...base(name, dependsOn),
  container: name,
  signal: null,
  timeoutSeconds: 10,
  preStop,
});
const remove = (name: string, dependsOn: number[]): OperationDraft => ({
  kind: 'remove-container',
  ...base(name, dependsOn),
  container: name,
  removeAnonymousVolumes: false,
});

function run(plan: Plan, engine: FakeEngine) {
  return execute(plan, engine, { observedContainers: [], sleep: async () => undefined, now: () => 0 });
}

function statuses(report: Awaited<ReturnType<typeof execute>>): string[] {
  return report.results.map((result) => `[${result.id}] ${result.status}${result.error !== undefined ? `: ${result.error}` : ''}`);
}

describe('files copied into a new container', () => {
  it('the files must be put into the container after its create and before its start, with target, mode and owner', async () => {
    const engine = new FakeEngine();
    const files = [file('/run/secrets/token', 's3cret-value', { mode: 0o400, uid: 1000, gid: 1001 }), file('/app.conf', 'level=debug\n')];
    const report = await run(planOf(create('demo-api-1', files), start('demo-api-1', [0])), engine);
    expect(statuses(report)).toEqual(['[0] succeeded', '[1] succeeded']);
    const id = engine.container('demo-api-1').id;
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([`createContainer demo-api-1`, `putArchive ${id}`, 'startContainer demo-api-1']);
    expect(engine.argsOf('putArchive')[0]?.[1]).toBe('/');
    expect(engine.archiveFiles.get(id)).toEqual([
      { path: '/run/secrets/token', mode: 0o400, uid: 1000, gid: 1001, content: 's3cret-value' },
      { path: '/app.conf', mode: 0o444, uid: 0, gid: 0, content: 'level=debug\n' },
    ]);
  });

  it('a container without such files must get no putArchive call', async () => {
    const engine = new FakeEngine();
    await run(planOf(create('demo-api-1'), start('demo-api-1', [0])), engine);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['createContainer demo-api-1', 'startContainer demo-api-1']);
  });

  it('a failed copy must fail the create, remove the new container and never start it', async () => {
    const engine = new FakeEngine();
    engine.failWith('putArchive', new EngineRequestError('copy', 500, 'disk full'));
    const report = await run(planOf(create('demo-api-1', [file('/run/secrets/token', 'v')]), start('demo-api-1', [0])), engine);
    expect(statuses(report)).toEqual([
      '[0] failed: copying /run/secrets/token into the new container failed: copy failed: disk full (HTTP 500)',
      '[1] skipped: dependency [0] failed',
    ]);
    expect(engine.describeCalls({ mutatingOnly: true }).map((call) => call.split(' ')[0])).toEqual(['createContainer', 'putArchive', 'removeContainer']);
    expect([...engine.containers.values()]).toEqual([]);
  });
});

describe('post_start hooks', () => {
  it('each hook must run by exec right after the start, in order, with its user, privileges, directory and environment', async () => {
    const engine = new FakeEngine();
    const first: LifecycleHook = { command: ['touch', '/tmp/started'], user: 'root', privileged: true, workingDir: '/srv', environment: { A: '1' } };
    const report = await run(planOf(create('demo-api-1'), start('demo-api-1', [0], [first, hook('echo second')])), engine);
    expect(statuses(report)).toEqual(['[0] succeeded', '[1] succeeded']);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([
      'createContainer demo-api-1',
      'startContainer demo-api-1',
      'execCommand demo-api-1',
      'execCommand demo-api-1',
    ]);
    expect(engine.argsOf('execCommand').map((args) => args[1])).toEqual([
      { command: ['touch', '/tmp/started'], user: 'root', privileged: true, workingDir: '/srv', environment: { A: '1' } },
      { command: ['echo', 'second'], user: null, privileged: false, workingDir: null, environment: {} },
    ]);
  });

  it('a hook that exits non-zero must fail the start with a message naming the hook, and stop the hooks after it', async () => {
    const engine = new FakeEngine();
    engine.execExits('false now', 3);
    const plan = planOf(create('demo-api-1'), start('demo-api-1', [0], [hook('true'), hook('false now'), hook('never')]));
    const report = await run(plan, engine);
    expect(statuses(report)).toEqual(['[0] succeeded', '[1] failed: post_start hook 2 (false now) exited with code 3']);
    expect(engine.argsOf('execCommand').map((args) => (args[1] as { command: string[] }).command.join(' '))).toEqual(['true', 'false now']);
  });

  it('a start without hooks must make no exec', async () => {
    const engine = new FakeEngine();
    await run(planOf(create('demo-api-1'), start('demo-api-1', [0])), engine);
    expect(engine.argsOf('execCommand')).toEqual([]);
  });
});

describe('pre_stop hooks', () => {
  it('each hook must run by exec before the stop, in order', async () => {
    const engine = new FakeEngine();
    engine.addContainer({ name: 'demo-api-1' });
    const report = await run(planOf(stop('demo-api-1', [], [hook('sh drain'), hook('sh flush')]), remove('demo-api-1', [0])), engine);
    expect(statuses(report)).toEqual(['[0] succeeded', '[1] succeeded']);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([
      'execCommand demo-api-1',
      'execCommand demo-api-1',
      'stopContainer demo-api-1',
      'removeContainer demo-api-1',
    ]);
  });

  it('a hook that exits non-zero must fail the stop and leave the container running, as Compose does', async () => {
    const engine = new FakeEngine();
    engine.addContainer({ name: 'demo-api-1' });
    engine.execExits('sh drain', 1);
    const report = await run(planOf(stop('demo-api-1', [], [hook('sh drain')]), remove('demo-api-1', [0])), engine);
    expect(statuses(report)).toEqual([
      '[0] failed: pre_stop hook 1 (sh drain) exited with code 1; the container was not stopped',
      '[1] skipped: dependency [0] failed',
    ]);
    expect(engine.container('demo-api-1').status).toBe('running');
    expect(engine.argsOf('stopContainer')).toEqual([]);
  });

  it('a container that no longer runs must skip its hooks and still be stopped', async () => {
    const engine = new FakeEngine();
    engine.addContainer({ name: 'demo-api-1', status: 'exited' });
    const report = await run(planOf(stop('demo-api-1', [], [hook('sh drain')]), remove('demo-api-1', [0])), engine);
    expect(statuses(report)).toEqual(['[0] succeeded', '[1] succeeded']);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['execCommand demo-api-1', 'stopContainer demo-api-1', 'removeContainer demo-api-1']);
  });
});
