import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  killAllControllers,
  manifestsRoot,
  printLogsIfFailed,
  startControllerProcess,
  waitUntilConverged,
  type ControllerProcess,
} from '../support/controller-process.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// Limits are updated in place, and the controller keeps them true even where a container's limits label
// cannot tell: after `docker update` out of band, and after its own in-place update is edited back.

const engine = testEngine();
const projectName = uniqueProjectName('ctl-limits');
const MiB = 1024 * 1024;
let root = '';
let controller: ControllerProcess | undefined;

async function memoryOf(): Promise<{ id: string; memory: number; startedAt: string }> {
  const inspect = await engine.inspectContainer(`${projectName}-app-1`);
  return { id: inspect.Id, memory: inspect.HostConfig.Memory ?? 0, startedAt: inspect.State.StartedAt };
}

describe('limits kept true by the controller', () => {
  beforeAll(async () => {
    root = manifestsRoot({ [projectName]: 'controller-limits' });
    controller = await startControllerProcess({ root, resync: '60s' });
    await waitUntilConverged(controller, projectName);
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
  });

  it('a memory limit changed by docker update must be put back, in place', async () => {
    const before = await memoryOf();
    expect(before.memory).toBe(64 * MiB);
    await runDocker(['update', '--memory', '96m', '--memory-swap', '192m', `${projectName}-app-1`]);
    const after = await eventually(
      async () => {
        const now = await memoryOf();
        expect(now.memory).toBe(64 * MiB);
        return now;
      },
      { timeoutMs: 15_000, message: 'the out-of-band memory limit reverted' },
    );
    expect(after.id).toBe(before.id);
    expect(after.startedAt).toBe(before.startedAt);
  });

  it('an in-place change edited back to the value the container was created with must be applied', async () => {
    const file = join(root, projectName, 'compose.yaml');
    const original = readFileSync(file, 'utf8');
    const before = await memoryOf();
    writeFileSync(file, original.replace('mem_limit: 64m', 'mem_limit: 96m'));
    await eventually(async () => expect((await memoryOf()).memory).toBe(96 * MiB), { timeoutMs: 15_000, message: 'raised to 96m' });
    writeFileSync(file, original);
    await eventually(async () => expect((await memoryOf()).memory).toBe(64 * MiB), { timeoutMs: 15_000, message: 'back to 64m' });
    const after = await memoryOf();
    expect(after.id).toBe(before.id);
    expect(after.startedAt).toBe(before.startedAt);
  });
});
