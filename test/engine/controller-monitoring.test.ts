import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllControllers, manifestsRoot, printLogsIfFailed, startControllerProcess, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startHttpReceiver, type HttpReceiver } from '../support/http-receiver.js';
import { dashboardExpressions, exposedMetricNames, metricNamesInExpression, ruleExpressions } from '../support/metric-names.js';

// What an operator plugs in beside `composelet run`: the shipped dashboard and alert rules must name only
// metrics a live controller serves, and --notify must tell a receiver (started here) about a crash loop
// (a busybox service that exits 1 after every start).

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const engine = testEngine();
const crashProject = uniqueProjectName('ctl-notify');
let controller: ControllerProcess | undefined;
let receiver: HttpReceiver;

describe('composelet run beside the monitoring stack', () => {
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    const root = manifestsRoot({ [crashProject]: 'controller-crash-loop' });
    controller = await startControllerProcess({ root, extraArgs: ['--notify', `${receiver.url}/hook`, '--notify', `ntfy+${receiver.url}/ops`] });
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, crashProject);
    await receiver?.close();
  });

  it('every metric the dashboard and the alert rules name must be served on the live /metrics', async () => {
    const served = exposedMetricNames(await controller!.metrics());
    const used = [
      ...dashboardExpressions(readFileSync(`${DEPLOY}/grafana/composelet-dashboard.json`, 'utf8')),
      ...ruleExpressions(readFileSync(`${DEPLOY}/prometheus/composelet.rules.yml`, 'utf8')),
    ].flatMap(metricNamesInExpression);
    expect(used.length).toBeGreaterThan(20);
    // composelet_git_* are served only with --git: test/engine/git-delivery.test.ts checks them live.
    expect([...new Set(used)].filter((name) => !name.startsWith('composelet_git_') && !served.has(name))).toEqual([]);
  });

  it('a crash-looping service must reach the --notify receivers, once per receiver', async () => {
    const firing = (path: string) => receiver.requests.filter((request) => request.path === path);
    await eventually(
      () => {
        const hook = firing('/hook').map((request) => JSON.parse(request.body) as { event: string; status: string; fields: Record<string, string> });
        expect(hook).toContainEqual(expect.objectContaining({ event: 'crash-loop', status: 'firing', fields: { project: crashProject, service: 'crasher' } }));
        expect(firing('/ops').map((request) => request.headers.title)).toContain(`composelet: CRITICAL: ${crashProject}/crasher is crash looping`);
      },
      { timeoutMs: 90_000, intervalMs: 500, message: 'the crash-loop notification at the receiver' },
    );
    const crashLoopNotices = firing('/hook').filter((request) => request.body.includes('"event":"crash-loop"'));
    expect(crashLoopNotices).toHaveLength(1);
  });
});
