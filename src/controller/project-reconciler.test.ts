import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../test/support/fake-engine.js';
import type { ContainerSummary, ListFilters } from '../engine/engine-port.js';
import { createMetrics } from '../observability/metrics.js';
import { ProjectReconciler, type ReconcilerOptions } from './project-reconciler.js';

/** A reconciler over `root` with the settings every test here shares; `options` adds or overrides. */
function reconcilerFor(root: string, engine: FakeEngine, options: Partial<ReconcilerOptions> = {}): ProjectReconciler {
  return new ProjectReconciler({
    root,
    engine,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
    environment: {},
    homeDir: root,
    prune: false,
    waitTimeoutMs: 1_000,
    concurrency: 1,
    ...options,
  });
}

// The reconciler across projects: what it remembers about one project must survive reconciles of others.

/** The fake engine's list shows health in the status text, as the engine does ("Up 5 seconds (unhealthy)"). */
class EngineWithHealth extends FakeEngine {
  override async listContainers(filters: ListFilters): Promise<ContainerSummary[]> {
    return (await super.listContainers(filters)).map((summary) => {
      const health = this.container(summary.Id).health;
      return health === null ? summary : { ...summary, Status: `Up 5 seconds (${health === 'starting' ? 'health: starting' : health})` };
    });
  }
}

function manifestsRoot(projects: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'composelet-reconciler-'));
  for (const [directory, yaml] of Object.entries(projects)) {
    mkdirSync(join(root, directory));
    writeFileSync(join(root, directory, 'compose.yaml'), yaml);
  }
  return root;
}

describe('ProjectReconciler', () => {
  it('an unhealthy grace period must not be reset by reconciles of another project', async () => {
    const root = manifestsRoot({
      alpha: [
        'services:',
        '  web:',
        '    image: busybox:1',
        '    healthcheck: { test: ["CMD", "true"] }',
        '    x-composelet: { healing: { unhealthy_grace_period: 10s } }',
      ].join('\n'),
      beta: ['services:', '  other:', '    image: busybox:1'].join('\n'),
    });
    const engine = new EngineWithHealth();
    engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
    let now = 0;
    const reconciler = reconcilerFor(root, engine, { now: () => now });
    const signal = new AbortController().signal;
    await reconciler.reconcile('alpha', signal);
    await reconciler.reconcile('beta', signal);
    engine.container('alpha-web-1').health = 'unhealthy';
    engine.calls.length = 0;

    await reconciler.reconcile('alpha', signal); // unhealthy since 0
    now = 5_000;
    await reconciler.reconcile('beta', signal);
    now = 10_000;
    await reconciler.reconcile('alpha', signal); // unhealthy for 10 s: past the grace period

    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['stopContainer alpha-web-1', 'startContainer alpha-web-1']);
  });

  it('the status must keep the last plan that changed something, step by step, across no-op reconciles', async () => {
    const root = manifestsRoot({ alpha: ['services:', '  web:', '    image: busybox:1'].join('\n') });
    const engine = new FakeEngine();
    engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
    let now = 1_000;
    const reconciler = reconcilerFor(root, engine, { now: () => now });
    const signal = new AbortController().signal;
    await reconciler.reconcile('alpha', signal);
    now = 2_000;
    await reconciler.reconcile('alpha', signal); // nothing to do
    const status = reconciler.status().find((candidate) => candidate.projectName === 'alpha')!;
    expect(status.lastReconcile).toMatchObject({ at: 2_000, operations: 0 });
    expect(status.lastPlan).toMatchObject({ at: 1_000, more: 0 });
    expect(status.lastPlan!.steps).toContainEqual({ kind: 'create-container', resource: 'container:alpha-web-1', cause: expect.any(String), result: 'succeeded' });
    expect(status.lastPlan!.steps.every((step) => step.result === 'succeeded')).toBe(true);
  });

  it('a reconciler started from what the last one remembered must keep a crash-looping service in its backoff', async () => {
    const root = manifestsRoot({ alpha: ['services:', '  web:', '    image: busybox:1'].join('\n') });
    const engine = new FakeEngine();
    engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
    let now = 0;
    const reconcilerWith = (remembered?: ReturnType<ProjectReconciler['remembered']>) =>
      reconcilerFor(root, engine, { now: () => now, ...(remembered ? { remembered } : {}) });
    const signal = new AbortController().signal;
    const first = reconcilerWith();
    await first.reconcile('alpha', signal);
    const crash = () => Object.assign(engine.container('alpha-web-1'), { status: 'exited', exitCode: 1 });
    crash();
    await first.reconcile('alpha', signal); // the first restart, at once
    expect(first.remembered().crashLoops).toEqual({ 'alpha/web': { restarts: 1, lastRestartAt: 0, nextAllowedAt: 10_000 } });
    crash();
    engine.calls.length = 0;

    const restarted = reconcilerWith(first.remembered());
    now = 5_000;
    await restarted.reconcile('alpha', signal);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([]);
    now = 10_000;
    await restarted.reconcile('alpha', signal);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['startContainer alpha-web-1']);
  });

  it('streaks and in-place updates of services and projects that are gone must be dropped from what is remembered', async () => {
    const root = manifestsRoot({ alpha: ['services:', '  web:', '    image: busybox:1'].join('\n') });
    const engine = new FakeEngine();
    engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
    const streak = { restarts: 3, lastRestartAt: 0, nextAllowedAt: 40_000 };
    const reconciler = reconcilerFor(root, engine, {
      now: () => 0,
      remembered: { crashLoops: { 'alpha/web': streak, 'alpha/removed': streak, 'gone/api': streak }, updatedInPlace: { gone: ['c1'] } },
    });
    await reconciler.reconcile('alpha', new AbortController().signal);
    expect(reconciler.remembered().crashLoops).toEqual({ 'alpha/web': streak, 'gone/api': streak });

    // Until every project's name is known, nothing of another project is dropped.
    reconciler.forgetProjectsOutside(['alpha', 'beta']);
    expect(Object.keys(reconciler.remembered().crashLoops)).toEqual(['alpha/web', 'gone/api']);
    reconciler.forgetProjectsOutside(['alpha']);
    expect(reconciler.remembered()).toEqual({ crashLoops: { 'alpha/web': streak }, updatedInPlace: {} });

    rmSync(join(root, 'alpha'), { recursive: true });
    await reconciler.reconcile('alpha', new AbortController().signal);
    expect(reconciler.remembered().crashLoops).toEqual({});
  });
  it('a stopped container the engine refuses to start after its restart (stale task) must be recreated by the next reconcile, its data kept', async () => {
    const root = manifestsRoot({ alpha: ['services:', '  db:', '    image: busybox:1', '    restart: unless-stopped', '    volumes: [/data]'].join('\n') });
    const engine = new FakeEngine();
    engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
    const reconciler = reconcilerFor(root, engine, { stateDir: join(root, '.state'), now: () => 0 });
    const signal = new AbortController().signal;
    await reconciler.reconcile('alpha', signal);
    const old = engine.container('alpha-db-1');
    const dataVolume = old.mounts.find((mount) => mount.Destination === '/data')?.Name;
    expect(dataVolume).toMatch(/^alpha_db_1_anon_/);
    // The engine restarted: the container is stopped and the engine kept its task.
    Object.assign(old, { status: 'exited', exitCode: 255 });
    engine.leaveStaleTask('alpha-db-1');
    engine.calls.length = 0;

    const refused = await reconciler.reconcile('alpha', signal);
    expect(refused.kind).toBe('error');
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['startContainer alpha-db-1']);
    engine.calls.length = 0;

    expect(await reconciler.reconcile('alpha', signal)).toEqual({ kind: 'requeue-after', delayMs: 1_000 });
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([
      `createContainer ${old.id.slice(0, 12)}_alpha-db-1`,
      `removeContainer ${old.id}`,
      `renameContainer ${old.id.slice(0, 12)}_alpha-db-1`,
      'startContainer alpha-db-1',
    ]);
    const recreated = engine.container('alpha-db-1');
    expect(recreated.id).not.toBe(old.id);
    expect(recreated.status).toBe('running');
    expect(recreated.mounts.find((mount) => mount.Destination === '/data')?.Name).toBe(dataVolume);

    // Healed: the next reconcile has nothing to do.
    engine.calls.length = 0;
    await reconciler.reconcile('alpha', signal);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([]);
  });

  it('a container the engine is restarting must be left to the engine, and looked at again soon: started if it ends exited with no event', async () => {
    const root = manifestsRoot({ alpha: ['services:', '  web:', '    image: busybox:1', '    restart: unless-stopped'].join('\n') });
    const engine = new FakeEngine();
    engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
    const reconciler = reconcilerFor(root, engine, { now: () => 0 });
    const signal = new AbortController().signal;
    await reconciler.reconcile('alpha', signal);
    const web = engine.container('alpha-web-1');
    Object.assign(web, { status: 'restarting' });
    engine.calls.length = 0;
    expect(await reconciler.reconcile('alpha', signal)).toEqual({ kind: 'requeue-after', delayMs: 2_000 });
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([]);
    // The engine gave up: exited, and no event. The requeued reconcile starts it.
    Object.assign(web, { status: 'exited', exitCode: 137 });
    expect(await reconciler.reconcile('alpha', signal)).toEqual({ kind: 'requeue-after', delayMs: 1_000 });
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['startContainer alpha-web-1']);
    engine.calls.length = 0;
    expect(await reconciler.reconcile('alpha', signal)).toEqual({ kind: 'done' });
  });

  it('a refused start must not be tried again by a restarted controller: the record in the state directory says to recreate', async () => {
    const root = manifestsRoot({ alpha: ['services:', '  db:', '    image: busybox:1', '    restart: unless-stopped', '    volumes: [/data]'].join('\n') });
    const engine = new FakeEngine();
    engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
    const controller = () =>
      reconcilerFor(root, engine, { stateDir: join(root, '.state'), now: () => 0 });
    const signal = new AbortController().signal;
    const first = controller();
    await first.reconcile('alpha', signal);
    const old = engine.container('alpha-db-1');
    Object.assign(old, { status: 'exited', exitCode: 255 });
    engine.leaveStaleTask('alpha-db-1');
    expect((await first.reconcile('alpha', signal)).kind).toBe('error');

    // The controller is killed and started again: its first reconcile recreates, with no start tried first.
    engine.calls.length = 0;
    expect(await controller().reconcile('alpha', signal)).toEqual({ kind: 'requeue-after', delayMs: 1_000 });
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([
      `createContainer ${old.id.slice(0, 12)}_alpha-db-1`,
      `removeContainer ${old.id}`,
      `renameContainer ${old.id.slice(0, 12)}_alpha-db-1`,
      'startContainer alpha-db-1',
    ]);
    expect(engine.container('alpha-db-1').status).toBe('running');
    // Forgotten once the container is gone: another restart has nothing to recreate.
    engine.calls.length = 0;
    await controller().reconcile('alpha', signal);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([]);
  });
});
