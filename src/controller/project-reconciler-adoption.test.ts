import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../test/support/fake-engine.js';
import { createMetrics } from '../observability/metrics.js';
import { captureStream } from '../observability/log-capture.test-support.js';
import { ProjectReconciler } from './project-reconciler.js';

// A project docker compose runs is the operator's until they ask composelet to take it over (`run --adopt`,
// or `x-composelet: { adopt: true }`). Until then the controller changes nothing, heals nothing, and says so
// in status, metrics and the log (once per change of state), without retrying hot.

const COMPOSE_FILE = ['services:', '  app:', '    image: busybox:1'].join('\n');

function setup(options: { yaml?: string; adopt?: boolean; appStatus?: 'running' | 'exited' } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'composelet-adoption-'));
  mkdirSync(join(root, 'demo'));
  writeFileSync(join(root, 'demo', 'compose.yaml'), options.yaml ?? COMPOSE_FILE);
  const engine = new FakeEngine();
  engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
  const composeMade = engine.addContainer({
    name: 'demo-app-1',
    status: options.appStatus ?? 'running',
    exitCode: options.appStatus === 'exited' ? 137 : 0,
    image: 'busybox:1',
    imageId: 'sha256:busybox',
    labels: {
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': 'app',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
    },
  });
  const log = captureStream();
  const metrics = createMetrics({ defaultMetrics: false });
  const reconciler = new ProjectReconciler({
    root,
    engine,
    logger: pino({ level: 'info' }, log.stream),
    metrics,
    environment: {},
    homeDir: root,
    prune: false,
    waitTimeoutMs: 1_000,
    concurrency: 1,
    adopt: options.adopt ?? false,
  });
  const logLines = () => log.lines().map((line) => JSON.parse(line) as { level: number; msg: string });
  return { engine, reconciler, metrics, composeMade, logLines, signal: new AbortController().signal };
}

describe('ProjectReconciler, a project docker compose runs', () => {
  it('without adoption must change nothing, not even heal a dead compose-made container', async () => {
    const { engine, reconciler } = setup({ appStatus: 'exited' });
    await reconciler.reconcile('demo', new AbortController().signal);
    await reconciler.reconcile('demo', new AbortController().signal);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual([]);
  });

  it('without adoption must be a terminal outcome (reported, looked at again at the resync), not a hot retry', async () => {
    const { reconciler, signal } = setup();
    const outcome = await reconciler.reconcile('demo', signal);
    expect(outcome).toMatchObject({ kind: 'error', terminal: true });
    if (outcome.kind !== 'error') return;
    expect(String(outcome.error)).toContain('running under docker compose, not adopted');
  });

  it('without adoption must be reported in /status with the containers and how to adopt', async () => {
    const { reconciler, signal } = setup();
    await reconciler.reconcile('demo', signal);
    const [status] = reconciler.status();
    expect(status?.adoption).toEqual({
      state: 'not-adopted',
      services: { app: ['demo-app-1'] },
      message: expect.stringMatching(/^running under docker compose, not adopted: app \(demo-app-1\)/),
      hint: expect.stringContaining('run --adopt'),
    });
    expect(status?.lastReconcile?.result).toBe('not_adopted');
  });

  it('without adoption must set composelet_project_not_adopted to 1, and not count as a reconcile error', async () => {
    const { reconciler, metrics, signal } = setup();
    await reconciler.reconcile('demo', signal);
    const text = await metrics.registry.metrics();
    expect(text).toContain('composelet_project_not_adopted{project="demo"} 1');
  });

  it('must warn once when the project is found not adopted, not at every reconcile', async () => {
    const { reconciler, logLines, signal } = setup();
    for (let round = 0; round < 3; round += 1) await reconciler.reconcile('demo', signal);
    const warnings = logLines().filter((line) => line.level >= 40 && line.msg.includes('not adopted'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain('run --adopt');
  });

  it.each([
    ['run --adopt', { adopt: true }],
    ['x-composelet: { adopt: true }', { yaml: ['x-composelet: { adopt: true }', COMPOSE_FILE].join('\n') }],
  ])('with %s must replace the compose-made container by an owned one and then report nothing', async (_label, options) => {
    const { engine, reconciler, metrics, composeMade, signal } = setup(options);
    await reconciler.reconcile('demo', signal);
    expect(engine.containers.has(composeMade.id)).toBe(false);
    const owned = [...engine.containers.values()].filter((container) => container.labels['io.composelet.managed'] === 'true');
    expect(owned.map((container) => [container.name, container.status])).toEqual([['demo-app-1', 'running']]);

    await reconciler.reconcile('demo', signal);
    expect(reconciler.status()[0]?.adoption).toBeNull();
    expect(await metrics.registry.metrics()).toContain('composelet_project_not_adopted{project="demo"} 0');
  });

  it('a project docker compose never ran must have composelet_project_not_adopted at 0 and no adoption status', async () => {
    const { engine, reconciler, metrics, composeMade, signal } = setup();
    engine.containers.delete(composeMade.id);
    await reconciler.reconcile('demo', signal);
    expect(await metrics.registry.metrics()).toContain('composelet_project_not_adopted{project="demo"} 0');
    expect(reconciler.status()[0]?.adoption).toBeNull();
  });
});
