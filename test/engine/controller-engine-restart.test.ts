import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrivateEngine } from '../../bench/private-engine.js';
import {
  killAllControllers,
  manifestsRoot,
  metricValue,
  printLogsIfFailed,
  startControllerProcess,
  waitUntilConverged,
  type ControllerProcess,
} from '../support/controller-process.js';
import { TEST_IMAGE, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// An engine restart survived by `composelet run`. Restarting the engine everybody shares would break
// whatever else runs on it, so this test starts an engine of its own (bench/private-engine.ts), points the
// controller at it through DOCKER_HOST, and restarts that one: SIGTERM to the dockerd this test started,
// then a new dockerd on the same data root. It needs root and a local dockerd; without them it fails, it
// does not skip.

const projectName = uniqueProjectName('ctl-engine');

describe('composelet run through an engine restart', () => {
  let engine: PrivateEngine | undefined;
  let controller: ControllerProcess | undefined;

  beforeAll(async () => {
    PrivateEngine.assertPossible('the engine restart test');
    engine = await PrivateEngine.create({ images: [TEST_IMAGE] });
    controller = await startControllerProcess({
      root: manifestsRoot({ [projectName]: 'controller-engine-restart' }),
      resync: '60s',
      env: { DOCKER_HOST: engine.host },
    });
    await waitUntilConverged(controller, projectName);
  });
  afterEach((context) => {
    printLogsIfFailed(context, [controller]);
    if (context.task.result?.state === 'fail' && engine) console.error(`--- the test's dockerd ---\n${engine.logTail()}`);
  });
  afterAll(async () => {
    await killAllControllers();
    // Everything of this test lives in its own engine: stopping it and removing its data root is the cleanup.
    await engine?.destroy();
  });

  it('the controller must stay up while the engine restarts, then bring back what the restart stopped', async () => {
    const port = engine!.port();
    const before = await port.inspectContainer(`${projectName}-app-1`);
    expect(before.State.Running).toBe(true);

    await engine!.stop();
    await eventually(async () => expect((await controller!.get('/readyz')).status).toBe(503), {
      message: '/readyz 503 while the engine is away',
    });
    expect((await controller!.get('/healthz')).status).toBe(200);
    expect(controller!.logs().map((line) => line.msg)).toContain('engine events stream lost; reconnecting');
    const engineBackAt = Date.now();
    await engine!.start();

    // The engine stopped app on shutdown and did not start it again (no restart policy): composelet does.
    const after = await eventually(
      async () => {
        const app = await port.inspectContainer(`${projectName}-app-1`);
        expect(app.State.Running).toBe(true);
        expect(Date.parse(app.State.StartedAt)).toBeGreaterThan(engineBackAt);
        return app;
      },
      { timeoutMs: 30_000, message: 'app running again after the engine restart' },
    );
    expect(after.Id, 'started again, not recreated').toBe(before.Id);
    expect((await port.inspectContainer(`${projectName}-web-1`)).State.Running).toBe(true);
    expect(controller!.isRunning()).toBe(true);
    expect(controller!.logs().map((line) => line.msg)).toContain('engine reachable again: relisting every project');
    await eventually(async () => expect((await controller!.get('/readyz')).status).toBe(200), { message: '/readyz 200 again' });
    expect(metricValue(await controller!.metrics(), 'composelet_engine_connected')).toBe(1);
  });
});
