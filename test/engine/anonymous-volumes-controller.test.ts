import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllControllers, printLogsIfFailed, startControllerProcess, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// The controller heals a container removed out of band (`docker rm -f`) with its anonymous volumes: the
// sentinels written into a `- /data` volume and an image VOLUME are back in the replacement.

const engine = testEngine();
const projectName = uniqueProjectName('anon-ctl');
const image = `${projectName}-img:1`;
const container = `${projectName}-store-1`;
let controller: ControllerProcess | undefined;
let root = '';

describe('composelet run heals with the same anonymous volumes', () => {
  beforeAll(async () => {
    const context = mkdtempSync(join(tmpdir(), 'composelet-anon-image-'));
    writeFileSync(join(context, 'Dockerfile'), 'FROM composelet/busybox:1\nVOLUME /imgdata\n');
    await runDocker(['build', '-q', '-t', image, context]);
    root = mkdtempSync(join(tmpdir(), 'composelet-controller-'));
    mkdirSync(join(root, projectName));
    writeFileSync(
      join(root, projectName, 'compose.yaml'),
      `services:\n  store:\n    image: ${image}\n    init: true\n    command: ["sleep", "86400"]\n    volumes: [/data]\n`,
    );
    controller = await startControllerProcess({ root, resync: '60s' });
    await eventually(async () => expect((await engine.inspectContainer(container)).State.Running).toBe(true), { timeoutMs: 30_000, message: 'store up' });
  }, 120_000);
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
    await runDocker(['rmi', image]).catch(() => undefined);
  });

  it('the sentinels must be back after docker rm -f', async () => {
    await runDocker(['exec', container, 'sh', '-c', 'echo data > /data/sentinel && echo imgdata > /imgdata/sentinel']);
    const before = (await engine.inspectContainer(container)).Id;
    await runDocker(['rm', '-f', container]);
    await eventually(
      async () => {
        const inspect = await engine.inspectContainer(container);
        expect(inspect.Id).not.toBe(before);
        expect(inspect.State.Running).toBe(true);
      },
      { timeoutMs: 30_000, message: 'store healed' },
    );
    expect(await runDocker(['exec', container, 'cat', '/data/sentinel', '/imgdata/sentinel'])).toBe('data\nimgdata\n');
  }, 120_000);
});
