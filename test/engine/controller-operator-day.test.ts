import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllControllers, manifestsRoot, metricValue, printLogsIfFailed, runControllerToExit, startControllerProcess, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { runCliCaptured } from '../support/run-cli.js';

// The operator's day run by the controller on schedules that fire every 2 s: gc (x-composelet.gc.schedule)
// removes the project's unused build on the real engine and leaves a suspended project's alone; the daily
// report (--report-dir, --report-schedule) is written as markdown and JSON (schema-valid), dated, audited.

const engine = testEngine();
const active = uniqueProjectName('day-gc');
const suspended = uniqueProjectName('day-held');
const oldImage = (project: string) => `${project}-api:old`;
let controller: ControllerProcess | undefined;
let root = '';
let reportDir = '';

async function buildOldImage(project: string): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'composelet-day-image-'));
  writeFileSync(join(context, 'Dockerfile'), `FROM composelet/busybox:1\nRUN echo ${project} > /tag\n`);
  await runDocker(['build', '-q', '-t', oldImage(project), '--label', 'io.composelet.build-hash=old', context]);
}
const imageExists = async (tag: string) => (await engine.listImages({ name: [tag] })).length > 0;
const auditEntries = () =>
  existsSync(`${root}.audit.log`) ? readFileSync(`${root}.audit.log`, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) : [];

describe('the operator day on the controller schedules', () => {
  beforeAll(async () => {
    root = manifestsRoot({ [active]: 'operator-day', [suspended]: 'operator-day' });
    reportDir = mkdtempSync(join(tmpdir(), 'composelet-day-reports-'));
    await buildOldImage(active);
    await buildOldImage(suspended);
    const held = await runCliCaptured(['suspend', join(root, suspended), '--reason', 'forensics', '--until-resumed'], {
      env: { PATH: process.env.PATH, COMPOSELET_STATE_DIR: `${root}.state`, COMPOSELET_AUDIT_LOG: `${root}.audit.log` },
    });
    expect(held.code, held.stderr).toBe(0);
    controller = await startControllerProcess({ root, extraArgs: ['--report-dir', reportDir, '--report-schedule', '*/2 * * * * *'] });
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    for (const project of [active, suspended]) {
      await removeProjectObjects(engine, project);
      await runDocker(['rmi', '-f', oldImage(project)]).catch(() => undefined);
    }
  });

  it('scheduled gc must remove the unused build, audited and counted, and must not touch a suspended project', async () => {
    await eventually(async () => expect(await imageExists(oldImage(active))).toBe(false), { timeoutMs: 20_000, message: 'the unused build removed by the schedule' });
    // The line is written once the engine answered: a moment after the image is gone.
    await eventually(() => expect(auditEntries().find((entry) => entry.action === 'remove-image' && entry.project === active)).toMatchObject({ actor: 'controller', result: 'succeeded' }), {
      timeoutMs: 5_000,
      message: 'the removal audited',
    });
    await eventually(() => expect(auditEntries().find((entry) => entry.action === 'gc' && entry.project === suspended)).toMatchObject({ result: 'skipped' }), {
      timeoutMs: 10_000,
      message: 'the suspended project skipped, audited',
    });
    expect(await imageExists(oldImage(suspended)), "the suspended project's unused build stays").toBe(true);
    const metrics = await controller!.metrics();
    expect(metricValue(metrics, 'composelet_gc_runs_total', { project: active, result: 'succeeded' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'composelet_gc_runs_total', { project: suspended, result: 'skipped' })).toBeGreaterThanOrEqual(1);
    const status = (await controller!.status()) as unknown as { schedules: { gc: Array<{ project: string; lastRun: { result: string } | null }> } };
    expect(status.schedules.gc.find((entry) => entry.project === suspended)?.lastRun?.result).toBe('skipped');
  });

  it('must write the dated daily report as markdown and schema-valid JSON, audited', async () => {
    const base = join(reportDir, `daily-report-${new Date().toISOString().slice(0, 10)}`);
    await eventually(() => expect(existsSync(`${base}.json`) && existsSync(`${base}.md`)).toBe(true), { timeoutMs: 20_000, message: 'the report files written' });
    const report = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../schemas/daily-report.v1.json', import.meta.url), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.services.map((service: { project: string }) => service.project)).toEqual(expect.arrayContaining([active]));
    expect(readFileSync(`${base}.md`, 'utf8')).toContain(active);
    await eventually(() => expect(auditEntries().find((entry) => entry.action === 'write-report')).toMatchObject({ actor: 'controller', result: 'succeeded' }), { timeoutMs: 5_000, message: 'audited' });
    expect(metricValue(await controller!.metrics(), 'composelet_reports_written_total', { result: 'written' })).toBeGreaterThanOrEqual(1);
  });

  it('a bad --report-schedule must be a startup error naming the flag', async () => {
    const exit = await runControllerToExit({ root: manifestsRoot({ [uniqueProjectName('day-bad')]: 'operator-day' }), extraArgs: ['--report-dir', reportDir, '--report-schedule', '0 25 * * *'] });
    expect(exit.code).not.toBe(0);
    expect(exit.output).toMatch(/--report-schedule "0 25 \* \* \*"/);
  });
});
