import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllControllers, manifestsRoot, metricValue, printLogsIfFailed, startControllerProcess, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { runCliCaptured } from '../support/run-cli.js';

// `composelet suspend` against a running `composelet run`: a suspended service stopped by hand stays
// stopped (the controller looks, and leaves it), the others are still healed; a resume, or the end of the
// suspension, heals it within seconds, without a controller restart and well before the 60 s resync.

const engine = testEngine();
const projectName = uniqueProjectName('ctl-suspend');
let controller: ControllerProcess | undefined;
let root = '';
const db = `${projectName}-db-1`;
const api = `${projectName}-api-1`;
const running = async (name: string) => (await engine.inspectContainer(name)).State.Running;

/** The CLI as the operator runs it, sharing the controller's state directory and audit log. */
const cli = (args: string[]) =>
  runCliCaptured(args, { env: { PATH: process.env.PATH, COMPOSELET_STATE_DIR: `${root}.state`, COMPOSELET_AUDIT_LOG: `${root}.audit.log` } });

/** Reconciles of the project so far (the metric counts every finished one). */
async function reconciles(): Promise<number> {
  const text = await controller!.metrics();
  return ['success', 'requeue'].reduce((sum, result) => sum + (metricValue(text, 'composelet_reconcile_total', { project: projectName, result }) ?? 0), 0);
}

/** Waits until the controller has looked at the project (event and follow-ups) since `before`. */
async function lookedAgain(before: number): Promise<void> {
  await eventually(async () => expect(await reconciles()).toBeGreaterThanOrEqual(before + 3), { timeoutMs: 10_000, message: 'the controller reconciled after the stop' });
}

describe('composelet suspend and resume with a running controller', () => {
  beforeAll(async () => {
    root = manifestsRoot({ [projectName]: 'controller-suspend' });
    controller = await startControllerProcess({ root, resync: '60s' });
    await eventually(async () => {
      expect(await running(db)).toBe(true);
      expect(await running(api)).toBe(true);
    }, { timeoutMs: 30_000, message: 'db and api up' });
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
  });

  it('a suspended service stopped by hand must stay stopped until resumed, then be healed', async () => {
    const suspended = await cli(['suspend', join(root, projectName), 'db', '--reason', 'vacuum full', '--until-resumed']);
    expect(suspended.stderr).toBe('');
    expect(suspended.code).toBe(0);
    expect(suspended.stdout).toMatch(/db: suspended by \S+@\S+ until resumed: vacuum full/);
    await eventually(async () => expect(metricValue(await controller!.metrics(), 'composelet_suspended', { project: projectName, service: 'db' })).toBe(1), {
      timeoutMs: 5_000,
      message: 'composelet_suspended is 1',
    });

    const before = await reconciles();
    await runDocker(['stop', '--time', '1', db]);
    await runDocker(['kill', api]);
    await lookedAgain(before);
    expect(await running(db), 'the suspended db was left stopped').toBe(false);
    await eventually(async () => expect(await running(api)).toBe(true), { timeoutMs: 10_000, message: 'api (not suspended) healed' });
    const status = await controller!.projectStatus(projectName);
    expect(status.services['db']?.suspended).toMatch(/until resumed: vacuum full/);

    const resumedAt = Date.now();
    expect((await cli(['resume', join(root, projectName), 'db'])).code).toBe(0);
    await eventually(async () => expect(await running(db)).toBe(true), { timeoutMs: 10_000, message: 'db healed after the resume' });
    expect(Date.now() - resumedAt, 'healed at once, not at the 60 s resync').toBeLessThan(15_000);

    const audit = readFileSync(`${root}.audit.log`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const suspend = audit.find((entry) => entry.action === 'suspend' && entry.service === 'db');
    expect(suspend).toMatchObject({ actor: 'suspend', project: projectName, cause: 'vacuum full (until resumed)', result: 'succeeded' });
    expect(suspend.user).toMatch(/@/);
    expect(audit.some((entry) => entry.action === 'resume' && entry.service === 'db')).toBe(true);
  });

  it('a suspension must end by itself after --for, and the service then be healed', async () => {
    expect((await cli(['suspend', join(root, projectName), 'db', '--reason', 'short maintenance', '--for', '4s'])).code).toBe(0);
    const before = await reconciles();
    const stoppedAt = Date.now();
    await runDocker(['stop', '--time', '1', db]);
    await lookedAgain(before);
    expect(await running(db), 'held while suspended').toBe(false);
    await eventually(async () => expect(await running(db)).toBe(true), { timeoutMs: 15_000, message: 'db healed when the suspension ended' });
    expect(Date.now() - stoppedAt, 'healed at the end of the suspension, not at the 60 s resync').toBeLessThan(20_000);
  });

  it('apply must skip a suspended service and say so', async () => {
    expect((await cli(['suspend', join(root, projectName), 'db', '--reason', 'restore test', '--for', '10m'])).code).toBe(0);
    await runDocker(['stop', '--time', '1', db]);
    // apply runs beside the controller here; the controller holds db too.
    const applied = await cli(['apply', join(root, projectName), '--timeout', '20s']);
    expect(applied.stderr).toContain(`skipping ${projectName}/db: suspended by`);
    expect(await running(db)).toBe(false);
    const resumed = await cli(['resume', join(root, projectName)]);
    expect(resumed.stdout).toContain(`${projectName}/db: resumed`);
    await eventually(async () => expect(await running(db)).toBe(true), { timeoutMs: 10_000, message: 'db healed after resuming the project' });
  });
});
