import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  killAllControllers,
  manifestsRoot,
  printLogsIfFailed,
  runControllerToExit,
  startControllerProcess,
  startStandbyControllerProcess,
  waitUntilConverged,
  type ControllerProcess,
} from '../support/controller-process.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// One controller per manifests root and engine, with real processes: a second `composelet run` is refused
// naming the first; a `--standby` one waits, and takes over within 2 s of the first being SIGKILLed.

const engine = testEngine();
const projectName = uniqueProjectName('ctl-lock');
let root = '';
let first: ControllerProcess | undefined;
let successor: ControllerProcess | undefined;

describe('one controller per manifests root and engine', () => {
  beforeAll(async () => {
    root = manifestsRoot({ [projectName]: 'controller-lock' });
    first = await startControllerProcess({ root });
    await waitUntilConverged(first, projectName);
  });
  afterEach((context) => printLogsIfFailed(context, [first, successor]));
  afterAll(async () => {
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
  });

  it('a second controller on the same root and engine must exit 1 naming the running one', async () => {
    const second = await runControllerToExit({ root });
    expect(second.code, second.output).toBe(1);
    expect(second.output).toContain(`another controller already runs on ${root}`);
    expect(second.output).toContain(`pid ${first!.pid} on host ${hostname()}`);
    expect(second.output).toContain('--standby');
    expect(first!.isRunning()).toBe(true);
  });

  it('a standby must wait, take over within 2 s of the first being SIGKILLed, and reconcile', async () => {
    const standby = await startStandbyControllerProcess({ root });
    expect(standby.logs().some((line) => line.msg === 'controller started'), 'the standby must not run while the first does').toBe(false);
    // a healthcheck sees a live standby: /healthz 200, /readyz 503 "standby"
    const standbyAddress = await eventually(
      () => {
        const line = standby.logs().find((entry) => entry.msg.startsWith('standby: /healthz'));
        if (!line) throw new Error('no "standby: /healthz" log line yet');
        return String(line['metrics']);
      },
      { timeoutMs: 5_000, message: 'the standby serving /healthz' },
    );
    const healthz = await fetch(`http://${standbyAddress}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.text()).toContain(`standby, waiting for the lock held by pid ${first!.pid}`);
    const readyz = await fetch(`http://${standbyAddress}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.text()).toMatch(/^not ready: standby/);
    const container = `${projectName}-app-1`;
    const killed = await first!.kill();

    successor = await standby.takenOver({ timeoutMs: 10_000 });
    const readyAt = await eventually(
      async () => {
        expect((await successor!.get('/readyz')).status).toBe(200);
        return Date.now();
      },
      { timeoutMs: 10_000, intervalMs: 25, message: 'the successor ready' },
    );
    expect(successor.startedAt - killed.at, 'controller started after the kill').toBeLessThan(2_000);
    expect(readyAt - killed.at, '/readyz 200 after the kill').toBeLessThan(2_000);

    // it reconciles: a container ended out of band comes back
    await runDocker(['rm', '--force', container]);
    await eventually(async () => expect((await engine.inspectContainer(container)).State.Running).toBe(true), {
      timeoutMs: 15_000,
      message: 'the removed container back, by the successor',
    });
    expect(successor.logs().some((line) => line.msg.startsWith('converging: ') && line.msg.includes(container))).toBe(true);
  });
});
