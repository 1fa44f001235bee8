import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../src/engine/engine-port.js';
import { projectFilter } from '../../src/reconciler/labels.js';
import {
  killAllControllers,
  manifestsRoot,
  metricValue,
  printLogsIfFailed,
  startControllerProcess,
  type ControllerProcess,
} from '../support/controller-process.js';
import { removeProjectObjects, runDocker, TERM_AWARE_COMMAND, TEST_IMAGE, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// `composelet run` and a stack docker compose started (made here with the docker CLI and the labels Compose
// v2 puts on its objects). Without --adopt the controller must leave it exactly as it is and say so in
// /status, the metrics and the log; with --adopt it must take every service over, keeping the named volume.

const engine = testEngine();
const project = uniqueProjectName('ctl-adopt');
const SERVICES = ['app', 'store'] as const;
let root = '';
let controller: ControllerProcess | undefined;
/** service -> the id of the container "docker compose" made for it. */
const composeIds: Record<string, string> = {};

const composeLabels = (extra: Record<string, string>) =>
  Object.entries({ 'com.docker.compose.project': project, ...extra }).flatMap(([key, value]) => ['--label', `${key}=${value}`]);

async function projectContainers(): Promise<ContainerSummary[]> {
  return engine.listContainers({ label: [projectFilter(project)] });
}

/** The engine's containers of the project, by name: id, state, owned by composelet. */
async function containersByName(): Promise<Record<string, { id: string; state: string; owned: boolean }>> {
  const byName: Record<string, { id: string; state: string; owned: boolean }> = {};
  for (const container of await projectContainers()) {
    byName[container.Names[0]!.replace(/^\//, '')] = { id: container.Id, state: container.State, owned: container.Labels?.['io.composelet.managed'] === 'true' };
  }
  return byName;
}

async function startLikeDockerCompose(): Promise<void> {
  await runDocker(['network', 'create', ...composeLabels({ 'com.docker.compose.network': 'default' }), `${project}_default`]);
  await runDocker(['volume', 'create', ...composeLabels({ 'com.docker.compose.volume': 'data' }), `${project}_data`]);
  for (const service of SERVICES) {
    const id = await runDocker([
      'run',
      '--detach',
      '--name',
      `${project}-${service}-1`,
      '--network',
      `${project}_default`,
      '--network-alias',
      service,
      ...(service === 'store' ? ['--volume', `${project}_data:/data`] : []),
      ...composeLabels({ 'com.docker.compose.service': service, 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' }),
      TEST_IMAGE,
      ...TERM_AWARE_COMMAND,
    ]);
    composeIds[service] = id.trim();
  }
  await runDocker(['exec', `${project}-store-1`, 'sh', '-c', 'echo written-under-compose > /data/marker']);
}

describe('composelet run and a project docker compose runs', () => {
  beforeAll(async () => {
    await startLikeDockerCompose();
    root = manifestsRoot({ [project]: 'controller-adoption' });
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, project);
  });

  it('without --adopt must leave every compose-made container as it was and report the project not adopted', async () => {
    const before = await containersByName();
    // A short resync: several reconciles must pass, and none may change anything.
    controller = await startControllerProcess({ root, resync: '1s' });
    const running = controller;
    await eventually(
      async () => {
        const reconciles = metricValue(await running.metrics(), 'composelet_reconcile_total', { project, result: 'not_adopted' }) ?? 0;
        expect(reconciles, 'not_adopted reconciles').toBeGreaterThanOrEqual(3);
      },
      { timeoutMs: 20_000, message: 'three reconciles of the compose-run project' },
    );

    expect(await containersByName()).toEqual(before);
    expect(Object.values(before).map((container) => [container.state, container.owned])).toEqual([
      ['running', false],
      ['running', false],
    ]);
    const status = await running.projectStatus(project);
    expect(status.adoption).toMatchObject({ state: 'not-adopted', services: { app: [`${project}-app-1`], store: [`${project}-store-1`] } });
    expect(status.adoption?.message).toMatch(/^running under docker compose, not adopted: /);
    expect(status.adoption?.hint).toContain('--adopt');
    const metrics = await running.metrics();
    expect(metricValue(metrics, 'composelet_project_not_adopted', { project })).toBe(1);
    expect(metricValue(metrics, 'composelet_reconcile_errors_total', { project })).toBe(0);
    const warnings = running.logs().filter((line) => line.msg.startsWith('running under docker compose, not adopted'));
    expect(warnings, 'logged once, when found, not at every reconcile').toHaveLength(1);
    expect(running.logs().filter((line) => line.msg.startsWith('retrying in'))).toEqual([]);
    await running.terminate();
  });

  it('with --adopt must run every service in a container composelet owns, under the same name, keeping the volume data', async () => {
    if (controller?.isRunning()) await controller.terminate();
    controller = await startControllerProcess({ root, resync: '60s', extraArgs: ['--adopt'] });
    const running = controller;
    await eventually(
      async () => {
        const now = await containersByName();
        expect(Object.keys(now).sort()).toEqual(SERVICES.map((service) => `${project}-${service}-1`));
        for (const container of Object.values(now)) expect(container).toMatchObject({ state: 'running', owned: true });
        for (const [service, id] of Object.entries(composeIds)) expect(now[`${project}-${service}-1`]?.id).not.toBe(id);
      },
      { timeoutMs: 60_000, message: 'every service adopted' },
    );
    for (const id of Object.values(composeIds)) {
      await expect(engine.inspectContainer(id), `old container ${id} gone`).rejects.toThrow();
    }
    expect((await runDocker(['exec', `${project}-store-1`, 'cat', '/data/marker'])).trim()).toBe('written-under-compose');
    await eventually(
      async () => {
        expect((await running.projectStatus(project)).adoption).toBeNull();
        expect(metricValue(await running.metrics(), 'composelet_project_not_adopted', { project })).toBe(0);
      },
      { timeoutMs: 15_000, message: 'adoption finished in /status and the metric' },
    );
  });
});
