import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MUTATING_METHODS } from '../../src/engine/engine-port.js';
import { identity, inspectProject } from '../support/converge-fixture.js';
import {
  killAllControllers,
  manifestsRoot,
  metricSamples,
  metricValue,
  printLogsIfFailed,
  startControllerProcess,
  waitUntilConverged,
  type ControllerProcess,
} from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// The controller process itself: what it serves on its metrics address, that a SIGKILLed controller
// restarted in steady state changes nothing, and that SIGTERM ends it cleanly, idle or mid-operation.
// The tests run in order on one project: first controller, then its SIGKILLed successor, then a third.

const engine = testEngine();
const projectName = uniqueProjectName('ctl-life');
let root = '';
let driftDirectory = '';
let first: ControllerProcess | undefined;
let second: ControllerProcess | undefined;
let third: ControllerProcess | undefined;

async function identities(): Promise<Record<string, string>> {
  const containers = await inspectProject(engine, projectName);
  return Object.fromEntries(Object.entries(containers).map(([service, inspect]) => [service, identity(inspect)]));
}

describe('the composelet run process', () => {
  beforeAll(async () => {
    root = manifestsRoot({ [projectName]: 'controller-steady' });
    driftDirectory = mkdtempSync(join(tmpdir(), 'composelet-drift-reports-'));
    first = await startControllerProcess({ root, resync: '60s', extraArgs: ['--drift-interval', '2s', '--drift-report-dir', driftDirectory] });
    await waitUntilConverged(first, projectName);
  });
  afterEach((context) => printLogsIfFailed(context, [first, second, third]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
  });

  it('its metrics address must serve reconcile, queue and engine metrics, /healthz and /readyz', async () => {
    const metrics = await first!.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metricValue(metrics.body, 'composelet_reconcile_total', { project: projectName, result: 'success' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics.body, 'composelet_reconcile_total', { project: projectName, result: 'error' })).toBe(0);
    expect(metricValue(metrics.body, 'composelet_queue_depth')).toBe(0);
    expect(metricValue(metrics.body, 'composelet_engine_api_calls_total', { method: 'listContainers' })).toBeGreaterThan(0);
    expect(metricValue(metrics.body, 'composelet_engine_api_calls_total', { method: 'createContainer' })).toBe(5);
    expect(metricValue(metrics.body, 'composelet_engine_connected')).toBe(1);
    // The controller's young generation is kept at V8's initial size (src/cli/young-generation.ts): 2 MiB
    // of new space instead of up to 32 MiB, most of the idle footprint's gap to the 80 MB target.
    expect(metricValue(metrics.body, 'nodejs_heap_space_size_total_bytes', { space: 'new' })).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(await first!.get('/healthz')).toMatchObject({ status: 200 });
    expect(await first!.get('/readyz')).toMatchObject({ status: 200 });
  });

  it('drift must be computed on schedule: metrics by status and a report written to --drift-report-dir', async () => {
    const report = await eventually(
      () => {
        // A pass may land while the first converge is still running; the next ones see it converged.
        const latest = JSON.parse(readFileSync(join(driftDirectory, 'latest.json'), 'utf8'));
        expect(latest.projects.map((project: { name: string }) => project.name)).toContain(projectName);
        expect(latest.inSync).toBe(true);
        return latest;
      },
      { timeoutMs: 30_000, message: 'an in-sync drift report in the report directory' },
    );
    const notInSync = report.projects.flatMap((project: { services: Array<{ name: string; status: string; changes: unknown[] }> }) =>
      project.services.filter((service) => service.status !== 'in-sync'),
    );
    expect(notInSync).toEqual([]);
    expect(report).toMatchObject({ schemaVersion: '1', inSync: true });
    expect(readFileSync(join(driftDirectory, 'latest.md'), 'utf8')).toContain('in sync');
    const metrics = await first!.get('/metrics');
    expect(metricValue(metrics.body, 'composelet_drift_services', { project: projectName, status: 'in-sync' })).toBe(5);
    expect(metricValue(metrics.body, 'composelet_drift_services', { project: projectName, status: 'drifted' })).toBe(0);
  });

  it('a SIGKILLed controller restarted in steady state must change no container', async () => {
    const before = await identities();
    expect(Object.keys(before).sort()).toEqual(['api', 'db', 'migrate', 'slow', 'web']);
    expect(await first!.kill()).toMatchObject({ signal: 'SIGKILL' });

    second = await startControllerProcess({ root, resync: '60s' });
    await eventually(async () => expect((await second!.get('/readyz')).status).toBe(200), { message: 'the new controller ready' });
    // ready means it reconciled every project once: the world it found needed nothing
    await waitUntilConverged(second, projectName);

    expect(await identities()).toEqual(before);
    expect(second.logs().filter((line) => line.msg.startsWith('converging'))).toEqual([]);
    const metrics = await second.metrics();
    const mutatingCalls = metricSamples(metrics, 'composelet_engine_api_calls_total').filter(
      (sample) => MUTATING_METHODS.has(sample.labels['method'] as never) && sample.value > 0,
    );
    expect(mutatingCalls).toEqual([]);
    expect(metricValue(metrics, 'composelet_engine_api_calls_total', { method: 'listContainers' })).toBeGreaterThan(0);
  });

  it('SIGTERM must end an idle controller with exit 0 within a few seconds, leaving the containers running', async () => {
    const before = await identities();
    const signalledAt = Date.now();
    const exit = await second!.terminate();

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(3_000);
    expect(second!.logs().map((line) => line.msg)).toContain('controller stopped');
    expect(await identities()).toEqual(before);
  });

  it('SIGTERM in the middle of a long operation must abandon it and exit 0 within the 5 s grace period', async () => {
    third = await startControllerProcess({ root, resync: '60s' });
    await waitUntilConverged(third, projectName);
    // A new VERSION recreates `slow`, whose stop takes its 30 s grace period (sleep ignores SIGTERM).
    const file = join(root, projectName, 'compose.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('VERSION: "1"', 'VERSION: "2"'));
    await eventually(
      () => expect(third!.logs().some((line) => line.msg.startsWith('converging') && line.msg.includes('stop-container container:' + projectName + '-slow-1'))).toBe(true),
      { message: 'the controller stopping slow' },
    );

    const signalledAt = Date.now();
    const exit = await third!.terminate({ timeoutMs: 15_000 });
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(8_000);
    expect(third!.logs().map((line) => line.msg)).toContain('controller stopped');
  });
});
