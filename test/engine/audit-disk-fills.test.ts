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
import { mountSmallTmpfs, type SmallTmpfs } from '../support/small-tmpfs.js';

// Fail closed when the disk under the audit log fills while the controller runs (audit-fail-closed.test.ts
// starts with it full): the log was writable and holds lines, the file system then fills to the last byte,
// the container is renamed until no audit line fits any more. The controller must not rename it back
// without its audit line: it turns read-only and says why, and heals by itself once space is freed.

const engine = testEngine();
const compose = yaml`
  services:
    web:
      image: composelet/busybox:1
      init: true
      command: ["sleep", "86400"]
`;

describe('the controller when the disk under its audit log fills while it runs', () => {
  const projectName = uniqueProjectName('audit-fills');
  let tmpfs: SmallTmpfs;
  let controller: ControllerProcess | undefined;
  beforeAll(() => {
    tmpfs = mountSmallTmpfs();
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
    tmpfs.unmount();
  });

  it('must leave a renamed container alone while no line can be written, say why, and fix it once space is freed', async () => {
    const root = writeManifestTree({ [`${projectName}/compose.yaml`]: compose });
    const auditLog = join(tmpfs.directory, 'audit.log');
    controller = await startControllerProcess({ root, resync: '2s', env: { COMPOSELET_AUDIT_LOG: auditLog } });
    await waitUntilConverged(controller, projectName);
    const linesBefore = readFileSync(auditLog, 'utf8').split('\n').filter(Boolean).length;
    expect(linesBefore).toBeGreaterThan(0);

    // Full to the last page: lines still fit in the slack of the log's last page, so rename the container
    // until one does not (each fix is an intent and an outcome line); from then on the rename must stay.
    tmpfs.fill();
    let wrongName = '';
    for (let attempt = 0; attempt < 40 && wrongName === ''; attempt += 1) {
      const name = `${projectName}-moved-${attempt}`;
      const changedAt = Date.now();
      await engine.renameContainer(`${projectName}-web-1`, name);
      wrongName = await eventually(
        async () => {
          const last = (await controller!.projectStatus(projectName)).lastReconcile!;
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

    tmpfs.free();
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
