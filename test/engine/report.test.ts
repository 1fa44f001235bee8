import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killAllControllers, manifestsRoot, printLogsIfFailed, startControllerProcess, type ControllerProcess } from '../support/controller-process.js';
import type { AuditEntry } from '../../src/audit/audit-entry.js';
import { healEvents } from '../../src/report/audit-events.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { runCliCaptured } from '../support/run-cli.js';

// `composelet report` over a period in which the controller healed a killed container, held a crash loop
// and made a backup: the report must list each, and its JSON must follow schemas/daily-report.v1.json.

const engine = testEngine();
const projectName = uniqueProjectName('report-day');
const backupDirectory = mkdtempSync(join(tmpdir(), 'composelet-report-backups-'));
let controller: ControllerProcess | undefined;

interface AuditLine {
  actor: string;
  service: string | null;
  action: string;
  cause: string;
  result: string;
}

describe('composelet report', () => {
  afterEach((context) => printLogsIfFailed(context, controller ? [controller] : []));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
  });

  it('the report over a period with a kill, a crash loop and a backup must list each of them', async () => {
    const periodStart = new Date(Date.now() - 1000).toISOString();
    const root = manifestsRoot({ [projectName]: 'report-day' });
    const auditLog = `${root}.audit.log`;
    const env = { COMPOSELET_BACKUP_DIR: backupDirectory };
    controller = await startControllerProcess({ root, env, extraArgs: ['--backup-catch-up-spread', '0s'] });
    const web = `${projectName}-web-1`;
    const before = await eventually(
      async () => {
        const inspected = await engine.inspectContainer(web);
        expect(inspected.State.Running).toBe(true);
        return inspected;
      },
      { timeoutMs: 30_000, message: 'web running' },
    );
    await runDocker(['kill', web]);
    const audit = () => (existsSync(auditLog) ? readFileSync(auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AuditLine) : []);
    await eventually(
      async () => {
        const inspected = await engine.inspectContainer(web);
        expect(inspected.State.Running).toBe(true);
        expect(inspected.State.StartedAt).not.toBe(before.State.StartedAt);
        const entries = audit().filter((entry) => entry.actor === 'controller' && entry.result === 'succeeded');
        expect(entries.some((entry) => entry.service === 'web' && entry.action === 'start-container')).toBe(true);
        // Counted as the report counts: the first start ("new container") is a deployment, not a heal.
        const crasherHeals = healEvents(audit() as AuditEntry[]).filter((heal) => heal.service === 'crasher' && heal.kind === 'heal');
        expect(crasherHeals.length).toBeGreaterThanOrEqual(3);
        const store = join(backupDirectory, projectName, 'store');
        expect(existsSync(store) && readdirSync(store).some((name) => name.endsWith('.gz'))).toBe(true);
        // The artifact is on disk a moment before the run's audit line: the report counts both.
        expect(audit().some((entry) => entry.action === 'backup')).toBe(true);
      },
      { timeoutMs: 30_000, message: 'web healed, crasher restarted three times, the backup made' },
    );

    const reportEnv = { PATH: process.env.PATH, COMPOSELET_AUDIT_LOG: auditLog, COMPOSELET_STATE_DIR: `${root}.state`, COMPOSELET_BACKUP_DIR: backupDirectory };
    const json = await runCliCaptured(['report', root, '--since', periodStart, '--format', 'json'], { env: reportEnv });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    const schema = JSON.parse(readFileSync(new URL('../../schemas/daily-report.v1.json', import.meta.url), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    validate(report);
    expect(validate.errors ?? []).toEqual([]);

    const service = (name: string) => report.services.find((row: { service: string }) => row.service === name);
    expect(service('web')).toMatchObject({ project: projectName, heals: 1, crashLoops: 0 });
    expect(service('web').downMs, 'the kill took web down for a while').toBeGreaterThan(0);
    expect(service('crasher').heals).toBeGreaterThanOrEqual(3);
    expect(service('crasher').crashLoops).toBe(1);
    expect(service('store')).toMatchObject({ heals: 0, state: 'running' });
    expect(report.backups).toEqual([expect.objectContaining({ project: projectName, definition: 'store', made: 1, failed: 0, missed: 0 })]);
    expect(report.backups[0].sizeBytes).toBeGreaterThan(0);
    const actions = Object.fromEntries(report.activity.byAction.map((row: { key: string; count: number }) => [row.key, row.count]));
    expect(actions['backup']).toBe(1);
    expect(actions['start-container']).toBeGreaterThanOrEqual(4);

    const markdown = await runCliCaptured(['report', root, '--since', periodStart], { env: reportEnv });
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(new RegExp(`\\| ${projectName} \\| web \\| [^|]+ \\| running \\| none \\| 1 \\| 0 \\| 0 \\|`));
    expect(markdown.stdout).toMatch(new RegExp(`\\| ${projectName} \\| store \\| store \\| 1 \\|`));
  });
});
