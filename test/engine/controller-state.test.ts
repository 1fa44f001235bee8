import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { controllerPaths } from '../../src/controller/lock/controller-identity.js';
import { parseControllerState } from '../../src/controller/state/controller-state-file.js';
import { parseDockerHost } from '../../src/engine/docker-host.js';
import { projectFilter } from '../../src/reconciler/labels.js';
import { killAllControllers, manifestsRoot, printLogsIfFailed, startControllerProcess, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// State that survives restarts, on the real engine: a controller SIGKILLed while a service crash-loops
// leaves its backoff in the state dir, and the controller started after it does not restart the service
// before that backoff ends. Restarts are counted from the engine's own `start` events.

const engine = testEngine();
const projectName = uniqueProjectName('ctl-state');
let root = '';
let first: ControllerProcess | undefined;
let second: ControllerProcess | undefined;
const starts: number[] = [];
let events: { close(): void } | undefined;

function crashLoopOnDisk(): { restarts: number; nextAllowedAt: number } | undefined {
  const identity = { root, engine: parseDockerHost(process.env['DOCKER_HOST']).address };
  const path = controllerPaths(`${root}.state`, identity).state;
  const parsed = parseControllerState(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.ok) throw new Error(`${path}: ${parsed.cause}`);
  return parsed.remembered.crashLoops[`${projectName}/crasher`];
}

describe('state that survives a controller restart', () => {
  beforeAll(async () => {
    const stream = await engine.events({ type: ['container'], label: [projectFilter(projectName)] });
    events = stream;
    void (async () => {
      for await (const event of stream) {
        if (event.Action === 'start') starts.push(event.timeNano !== undefined ? event.timeNano / 1e6 : event.time * 1000);
      }
    })();
    root = manifestsRoot({ [projectName]: 'controller-crash-loop-state' });
  });
  afterEach((context) => printLogsIfFailed(context, [first, second]));
  afterAll(async () => {
    events?.close();
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
  });

  it('a controller SIGKILLed while a service crash-loops must, started again, not restart it before its backoff ends', async () => {
    first = await startControllerProcess({ root });
    // two restarts made and written down: the next one is due 20 s after the second
    const remembered = await eventually(
      () => {
        const crashLoop = crashLoopOnDisk();
        if (!crashLoop || crashLoop.restarts < 2) throw new Error(`crash loop on disk: ${JSON.stringify(crashLoop)}`);
        return crashLoop;
      },
      { timeoutMs: 40_000, intervalMs: 50, message: 'the second restart in the state file' },
    );
    await first.kill();
    const startsBefore = starts.length;
    expect(remembered.nextAllowedAt - Date.now(), 'time left in the backoff at the kill').toBeGreaterThan(10_000);

    second = await startControllerProcess({ root });
    const restartAt = await eventually(() => starts[startsBefore] ?? Promise.reject(new Error('not restarted yet')), {
      timeoutMs: remembered.nextAllowedAt - Date.now() + 15_000,
      intervalMs: 100,
      message: 'the restart after the backoff',
    });
    expect(restartAt, `restarted ${Math.round(remembered.nextAllowedAt - restartAt)} ms before its backoff ended`).toBeGreaterThanOrEqual(
      remembered.nextAllowedAt - 100,
    );
    expect(starts.length - startsBefore, 'one restart, no storm').toBe(1);
    expect(second.logs().find((line) => line.msg === 'controller state loaded')).toMatchObject({ crashLoops: 1 });
    await eventually(async () => {
      const status = await second!.projectStatus(projectName);
      expect(status.services['crasher']).toMatchObject({ crashLooping: true, restarts: 3 });
    });
  });
});
