import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  killAllControllers,
  metricValue,
  printLogsIfFailed,
  startControllerProcess,
  waitUntilConverged,
  type ControllerProcess,
} from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';
import { mountSmallTmpfs, type SmallTmpfs } from '../support/small-tmpfs.js';

// Fail closed on the audit log: with the log on a 64 KiB tmpfs filled to the last byte, apply and down
// change nothing and say why, and the controller turns read-only (status and metrics still served)
// until the space is freed, then converges by itself. Every action taken is in the log. The same holds
// when the disk fills while the controller runs (the last describe, formerly audit-disk-fills.test.ts).

const engine = testEngine();
const compose = yaml`
  services:
    web:
      image: composelet/busybox:1
      init: true
      command: ["sleep", "86400"]
`;

async function containersOf(projectName: string): Promise<string[]> {
  const containers = await engine.listContainers({ label: [`com.docker.compose.project=${projectName}`] });
  return containers.map((container) => container.Names[0]!.replace(/^\//, '')).sort();
}

function auditLines(path: string): Array<{ action: string; result: string; resource: string }> {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { action: string; result: string; resource: string });
}

describe('apply and down with an audit log that cannot be written', () => {
  const projectName = uniqueProjectName('audit-full');
  let tmpfs: SmallTmpfs;
  let directory = '';
  let auditLog = '';
  beforeAll(() => {
    tmpfs = mountSmallTmpfs();
    directory = writeManifestTree({ 'compose.yaml': compose }, { directoryName: projectName });
    auditLog = join(tmpfs.directory, 'state', 'audit.log');
  });
  afterAll(async () => {
    await removeProjectObjects(engine, projectName);
    tmpfs.unmount();
  });

  it('apply must exit 1 naming the log and ENOSPC, and create nothing, while the disk is full', async () => {
    tmpfs.fill();
    const result = await runCliCaptured(['apply', directory], { env: { PATH: process.env.PATH, COMPOSELET_AUDIT_LOG: auditLog } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`audit log ${auditLog} cannot be written: no space left on device (ENOSPC)`);
    expect(result.stderr).toContain('nothing further was changed');
    expect(await containersOf(projectName)).toEqual([]);
  });

  it('once space is freed, apply must run and the log must hold its intent before its outcome', async () => {
    tmpfs.free();
    const result = await runCliCaptured(['apply', directory, '--no-wait'], { env: { PATH: process.env.PATH, COMPOSELET_AUDIT_LOG: auditLog } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await containersOf(projectName)).toEqual([`${projectName}-web-1`]);
    const lines = auditLines(auditLog);
    expect(lines[0]).toMatchObject({ action: 'intent', result: 'intended', resource: `project:${projectName}` });
    expect(lines.slice(1).map((line) => line.result)).toContain('succeeded');
  });

  it('down must exit 1 and leave the containers running while the disk is full', async () => {
    tmpfs.fill();
    // A log file of its own: the first log's last page may still have room for a line.
    const fullLog = join(tmpfs.directory, 'state', 'down-audit.log');
    const result = await runCliCaptured(['down', directory], { env: { PATH: process.env.PATH, COMPOSELET_AUDIT_LOG: fullLog } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`audit log ${fullLog} cannot be written: no space left on device (ENOSPC)`);
    expect(await containersOf(projectName)).toEqual([`${projectName}-web-1`]);
    tmpfs.free();
  });
});

/** A describe's controller with its audit log on a small tmpfs of its own: mounted before, and the
 * controller killed, the project removed and the tmpfs unmounted after (logs printed when a test failed). */
function controllerOnSmallTmpfs(name: string): { projectName: string; readonly tmpfs: SmallTmpfs; controller: ControllerProcess | undefined } {
  let tmpfs: SmallTmpfs | undefined;
  const fixture = {
    projectName: uniqueProjectName(name),
    get tmpfs(): SmallTmpfs {
      if (!tmpfs) throw new Error('the tmpfs is mounted in beforeAll');
      return tmpfs;
    },
    controller: undefined as ControllerProcess | undefined,
  };
  beforeAll(() => {
    tmpfs = mountSmallTmpfs();
  });
  afterEach((context) => printLogsIfFailed(context, [fixture.controller]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, fixture.projectName);
    tmpfs?.unmount();
  });
  return fixture;
}

describe('the controller with an audit log that cannot be written', () => {
  const fixture = controllerOnSmallTmpfs('audit-ro');
  const { projectName } = fixture;

  it('must change nothing while the disk is full, serve status and metrics saying why, and converge by itself once space is freed', async () => {
    fixture.tmpfs.fill();
    const root = writeManifestTree({ [`${projectName}/compose.yaml`]: compose });
    const auditLog = join(fixture.tmpfs.directory, 'audit.log');
    const controller = fixture.controller = await startControllerProcess({ root, resync: '60s', env: { COMPOSELET_AUDIT_LOG: auditLog } });

    const status = await eventually(
      async () => {
        const report = (await controller.status()) as Awaited<ReturnType<ControllerProcess['status']>> & { readOnly: boolean; auditLog: { error: string } };
        expect(report.readOnly).toBe(true);
        expect((await controller.projectStatus(projectName)).lastReconcile).toMatchObject({ result: 'read_only', operations: 3 }); // network, create, start
        return report;
      },
      { timeoutMs: 15_000, message: 'read-only status' },
    );
    expect(status.auditLog.error).toBe(`audit log ${auditLog} cannot be written: no space left on device (ENOSPC)`);
    expect(metricValue(await controller.metrics(), 'composelet_audit_log_writable')).toBe(0);
    expect(controller.logs().some((line) => line.msg.includes('no space left on device (ENOSPC): read-only'))).toBe(true);
    expect((await controller.get('/healthz')).status).toBe(200);
    expect(await containersOf(projectName)).toEqual([]);

    fixture.tmpfs.free();
    await waitUntilConverged(controller, projectName, { timeoutMs: 20_000 });
    expect(await containersOf(projectName)).toEqual([`${projectName}-web-1`]);
    expect(metricValue(await controller.metrics(), 'composelet_audit_log_writable')).toBe(1);
    expect((await controller.status()) as unknown).toMatchObject({ readOnly: false, auditLog: { writable: true, error: null } });
    const lines = auditLines(auditLog);
    expect(lines[0]).toMatchObject({ action: 'intent', resource: `project:${projectName}` });
    expect(lines.slice(1)).toContainEqual(expect.objectContaining({ action: 'create-container', result: 'succeeded' }));
  });
});

// When the disk under the audit log fills while the controller runs (the describes above start with it
// full): the log was writable and holds lines, the file system then fills to the last byte, the container
// is renamed until no audit line fits any more. The controller must not rename it back without its audit
// line: it turns read-only and says why, and heals by itself once space is freed.
describe('the controller when the disk under its audit log fills while it runs', () => {
  const fixture = controllerOnSmallTmpfs('audit-fills');
  const { projectName } = fixture;

  it('must leave a renamed container alone while no line can be written, say why, and fix it once space is freed', async () => {
    const root = writeManifestTree({ [`${projectName}/compose.yaml`]: compose });
    const auditLog = join(fixture.tmpfs.directory, 'audit.log');
    const controller = fixture.controller = await startControllerProcess({ root, resync: '2s', env: { COMPOSELET_AUDIT_LOG: auditLog } });
    await waitUntilConverged(controller, projectName);
    const linesBefore = readFileSync(auditLog, 'utf8').split('\n').filter(Boolean).length;
    expect(linesBefore).toBeGreaterThan(0);

    // Full to the last page: lines still fit in the slack of the log's last page, so rename the container
    // until one does not (each fix is an intent and an outcome line); from then on the rename must stay.
    fixture.tmpfs.fill();
    let wrongName = '';
    for (let attempt = 0; attempt < 40 && wrongName === ''; attempt += 1) {
      const name = `${projectName}-moved-${attempt}`;
      const changedAt = Date.now();
      await engine.renameContainer(`${projectName}-web-1`, name);
      wrongName = await eventually(
        async () => {
          const last = (await controller.projectStatus(projectName)).lastReconcile!;
          expect(last.at).toBeGreaterThanOrEqual(changedAt);
          if (last.result === 'read_only') return name;
          expect(last).toMatchObject({ result: 'success', operations: 0 });
          return '';
        },
        { timeoutMs: 20_000, message: `the rename to ${name} fixed, or the controller read-only` },
      );
    }
    expect(wrongName, 'read-only once the last page is full').not.toBe('');
    expect(((await controller.status()) as unknown as { readOnly: boolean; auditLog: { error: string } }).auditLog.error).toMatch(/no space left on device \(ENOSPC\)|short write/);
    expect(metricValue(await controller.metrics(), 'composelet_audit_log_writable')).toBe(0);
    expect((await controller.get('/healthz')).status).toBe(200);
    expect((await engine.inspectContainer(wrongName)).Name, 'not renamed back without its audit line').toBe(`/${wrongName}`);

    fixture.tmpfs.free();
    await waitUntilConverged(controller, projectName, { timeoutMs: 20_000 });
    expect((await engine.inspectContainer(`${projectName}-web-1`)).State.Running).toBe(true);
    expect(metricValue(await controller.metrics(), 'composelet_audit_log_writable')).toBe(1);
    // Every line is JSON but a torn fragment a short write may have left (alone on its line, see audit-log.ts);
    // the start is logged, intent first.
    const lines = readFileSync(auditLog, 'utf8').split('\n').filter(Boolean);
    const parsed = lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as { action: string; result: string; resource: string }];
      } catch {
        return [];
      }
    });
    expect(lines.length - parsed.length, 'at most one torn fragment').toBeLessThanOrEqual(1);
    const after = parsed.slice(linesBefore);
    const renamedBack = after.findLastIndex((line) => line.action === 'rename-container' && line.result === 'succeeded');
    expect(renamedBack, JSON.stringify(after)).toBeGreaterThan(0);
    expect(after.slice(0, renamedBack).some((line) => line.action === 'intent'), 'its intent before it').toBe(true);
    expect(existsSync(auditLog)).toBe(true);
  });
});
