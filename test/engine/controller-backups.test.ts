import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  killAllControllers,
  manifestsRoot,
  metricValue,
  printLogsIfFailed,
  startControllerProcess,
  type ControllerProcess,
} from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { runCliCaptured } from '../support/run-cli.js';

// Backup schedules inside the controller: a backup never made (or missed while the controller was down)
// runs once at start; it is recorded in metrics, /status, `composelet status` and the audit log; a
// restarted controller does not run it again before it is due.

const engine = testEngine();
const projectName = uniqueProjectName('ctl-backup');
const backupDirectory = mkdtempSync(join(tmpdir(), 'composelet-controller-backups-'));
let root = '';
let controllers: ControllerProcess[] = [];

function artifacts(): string[] {
  const directory = join(backupDirectory, projectName, 'store');
  return existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.gz')).sort() : [];
}

describe('backup schedules in the controller', () => {
  afterEach((context) => printLogsIfFailed(context, controllers));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
  });

  it('a backup never made must run once at start and be reported in metrics, status and the audit log', async () => {
    root = manifestsRoot({ [projectName]: 'controller-backups' });
    const env = { COMPOSELET_BACKUP_DIR: backupDirectory };
    const controller = await startControllerProcess({ root, env, extraArgs: ['--backup-catch-up-spread', '0s'] });
    controllers.push(controller);
    const [artifact] = await eventually(
      () => {
        const found = artifacts();
        expect(found).toHaveLength(1);
        return found;
      },
      { timeoutMs: 30_000, message: 'the catch-up backup artifact' },
    );
    expect(gunzipSync(readFileSync(join(backupDirectory, projectName, 'store', artifact!))).toString()).toBe('contents\n');

    const metrics = await controller.metrics();
    expect(metricValue(metrics, 'composelet_backup_last_success_timestamp_seconds', { project: projectName, backup: 'store' })).toBeGreaterThan(0);
    expect(metricValue(metrics, 'composelet_backup_next_run_timestamp_seconds', { project: projectName, backup: 'store' })).toBeGreaterThan(Date.now() / 1000);
    const status = JSON.parse((await controller.get('/status')).body);
    expect(status.backups).toEqual([expect.objectContaining({ project: projectName, definition: 'store', failuresSinceSuccess: 0, lastSuccessAt: expect.any(String) })]);
    const address = controller.logs().find((line) => line.msg === 'controller started')!['metrics'] as string;
    const printed = await runCliCaptured(['status', join(root, projectName), '--metrics-address', address], {
      env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST, COMPOSELET_BACKUP_DIR: backupDirectory },
    });
    expect(printed.stdout).toMatch(new RegExp(`${projectName}\\s+store\\s+store\\s+\\d{4}-`));
    const audit = readFileSync(`${root.replace(/\/+$/, '')}.audit.log`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(audit.some((entry) => entry.actor === 'backup' && entry.project === projectName && entry.result === 'succeeded')).toBe(true);
  });

  it('a restarted controller must not run a backup again before it is due', async () => {
    await killAllControllers();
    const controller = await startControllerProcess({
      root,
      env: { COMPOSELET_BACKUP_DIR: backupDirectory },
      extraArgs: ['--backup-catch-up-spread', '0s'],
    });
    controllers.push(controller);
    // the schedule was looked at (the next-run gauge is set), and nothing new was written
    await eventually(async () => {
      expect(metricValue(await controller.metrics(), 'composelet_backup_next_run_timestamp_seconds', { project: projectName, backup: 'store' })).toBeGreaterThan(0);
    });
    expect(artifacts()).toHaveLength(1);
  });
});
