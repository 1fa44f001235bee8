import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerInspect } from '../../src/engine/engine-port.js';
import { projectFilter } from '../../src/reconciler/labels.js';
import {
  killAllControllers,
  manifestsRoot,
  metricValue,
  printLogsIfFailed,
  startControllerProcess,
  type ControllerProcess,
} from '../support/controller-process.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// Healing by `composelet run` on the real engine: killed, stopped and removed containers come back, a
// crash loop backs off, an unhealthy container is restarted after its grace period. One controller watches
// two projects (the crash loop has its own, so its frequent reconciles never mix with the other faults).
// The resync is 60 s and every heal here must happen well within that: engine events drive healing.

const engine = testEngine();
const healProject = uniqueProjectName('ctl-heal');
const crashProject = uniqueProjectName('ctl-crash');
const CRASH_WINDOW_MS = 25_000;
let controller: ControllerProcess | undefined;
/** Engine time (epoch ms) of every `start` of a crash-project container, followed from before it existed:
 * the engine keeps only its last 256 events, too few to ask for them afterwards on a busy engine. */
const crashStarts: number[] = [];
let crashEvents: { close(): void } | undefined;

const containerName = (projectName: string, service: string) => `${projectName}-${service}-1`;
const inspect = (name: string): Promise<ContainerInspect> => engine.inspectContainer(name);

/** A heal must come from an engine event: the controller's first resync tick is 60 s after its start. */
function expectBeforeFirstResync(running: ControllerProcess): void {
  expect(Date.now() - running.startedAt, 'the heal must happen before the first 60 s resync tick').toBeLessThan(60_000);
}

let root = '';

describe('composelet run heals containers', () => {
  beforeAll(async () => {
    const stream = await engine.events({ type: ['container'], label: [projectFilter(crashProject)] });
    crashEvents = stream;
    void (async () => {
      for await (const event of stream) {
        if (event.Action === 'start') crashStarts.push(event.timeNano !== undefined ? event.timeNano / 1e6 : event.time * 1000);
      }
    })();
    root = manifestsRoot({ [healProject]: 'controller-healing', [crashProject]: 'controller-crash-loop' });
    controller = await startControllerProcess({ root, resync: '60s' });
    await eventually(
      async () => {
        for (const service of ['killed', 'stopped', 'removed', 'unhealthy']) {
          const state = (await inspect(containerName(healProject, service))).State;
          expect(state.Running, service).toBe(true);
          if (service === 'unhealthy') expect(state.Health?.Status).toBe('healthy');
        }
      },
      { timeoutMs: 30_000, message: 'every service of the healing project up' },
    );
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    crashEvents?.close();
    await killAllControllers();
    await removeProjectObjects(engine, healProject);
    await removeProjectObjects(engine, crashProject);
  });

  it.each([
    { fault: 'docker kill', service: 'killed', command: ['kill'], sameContainer: true },
    { fault: 'docker stop', service: 'stopped', command: ['stop', '--time', '1'], sameContainer: true },
    { fault: 'docker rm -f', service: 'removed', command: ['rm', '--force'], sameContainer: false },
  ])('a container ended by $fault must be running again within seconds', async ({ service, command, sameContainer }) => {
    const name = containerName(healProject, service);
    const before = await inspect(name);
    const faultAt = Date.now();
    await runDocker([...command, name]);

    const after = await eventually(
      async () => {
        const now = await inspect(name);
        expect(now.State.Running).toBe(true);
        expect(now.State.StartedAt).not.toBe(before.State.StartedAt);
        return now;
      },
      { timeoutMs: 10_000, message: `${name} running again` },
    );
    expectBeforeFirstResync(controller!);
    if (sameContainer) expect(after.Id, 'healed in place').toBe(before.Id);
    else expect(after.Id, 'a new container').not.toBe(before.Id);
    expect(after.Config.Labels?.['com.docker.compose.service']).toBe(service);
    // composelet did it (not the engine's restart policy, which leaves killed, stopped and removed alone)
    const converging = controller!.logs().filter((line) => line.msg.startsWith('converging') && (line.time ?? 0) >= faultAt);
    expect(converging.map((line) => line.msg).join('\n')).toContain(`container:${name}`);
    // and recorded it in the audit log, as the controller, with the cause
    await eventually(
      () => {
        const audit = readFileSync(`${root.replace(/\/+$/, '')}.audit.log`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
        expect(
          audit.some((entry) => entry.actor === 'controller' && entry.project === healProject && entry.service === service && entry.result === 'succeeded' && Date.parse(entry.time) >= faultAt - 1000),
        ).toBe(true);
      },
      { timeoutMs: 5_000, message: 'the heal in the audit log' },
    );
  });

  it('an unhealthy container must be restarted in place after its grace period and be healthy again', async () => {
    const name = containerName(healProject, 'unhealthy');
    const before = await inspect(name);
    expect(before.State.Health?.Status).toBe('healthy');
    const brokenAt = Date.now();
    await runDocker(['exec', name, 'touch', '/tmp/bad']);

    const after = await eventually(
      async () => {
        const now = await inspect(name);
        expect(now.State.StartedAt).not.toBe(before.State.StartedAt);
        expect(now.State.Health?.Status).toBe('healthy');
        return now;
      },
      { timeoutMs: 20_000, message: `${name} restarted and healthy again` },
    );
    expectBeforeFirstResync(controller!);
    expect(after.Id, 'restarted, not recreated').toBe(before.Id);
    // Unhealthy about 1 s after the file appears (interval 1s, retries 1), then the 2 s grace period:
    // earlier would ignore the grace period; much later would mean its clock was lost on the way (the
    // crash loop next door reconciles all the time, and must not reset it).
    const restartedAfterMs = Date.parse(after.State.StartedAt) - brokenAt;
    expect(restartedAfterMs).toBeGreaterThanOrEqual(2_000);
    expect(restartedAfterMs, 'restarted soon after the grace period').toBeLessThan(6_000);
    const metrics = await controller!.metrics();
    expect(metricValue(metrics, 'composelet_service_restarts_total', { project: healProject, service: 'unhealthy' })).toBe(1);
  });

  it('a crash-looping service must be restarted a bounded number of times, after doubling delays, and be reported crash-looping', async () => {
    // The window opens at the container's first start, however far into it this test begins.
    const windowStart = await eventually(() => crashStarts[0] ?? Promise.reject(new Error('no start yet')), { timeoutMs: 10_000 });
    await eventually(() => expect(Date.now()).toBeGreaterThanOrEqual(windowStart + CRASH_WINDOW_MS), {
      timeoutMs: CRASH_WINDOW_MS + 5_000,
      intervalMs: 250,
      message: 'the observation window closing',
    });
    const starts = crashStarts.filter((at) => at <= windowStart + CRASH_WINDOW_MS);
    const restarts = starts.slice(1);
    // backoff.initial is 2 s: restarts at once (~0.3 s), then >= 2 s, 4 s, 8 s apart (~2.5, 6.5, 14.5 s);
    // the fifth is due after 30 s. Without backoff there would be one every second or faster.
    expect(restarts.length, `restarts at ${starts.map((at) => at - starts[0]!).join(', ')} ms`).toBeGreaterThanOrEqual(3);
    expect(restarts.length, `restarts at ${starts.map((at) => at - starts[0]!).join(', ')} ms`).toBeLessThanOrEqual(4);
    // The first restart waits for no backoff; on a loaded machine a start alone can take over a second, so
    // this only says it came from the die event, long before the 60 s resync.
    expect(restarts[0]! - starts[0]!, 'the first restart, driven by the die event').toBeLessThan(10_000);
    for (let index = 1; index < restarts.length; index += 1) {
      const expectedDelayMs = 2_000 * 2 ** (index - 1);
      expect(restarts[index]! - restarts[index - 1]!, `delay before restart ${index + 1}`).toBeGreaterThanOrEqual(expectedDelayMs - 100);
    }

    const status = await controller!.projectStatus(crashProject);
    expect(status.services['crasher']).toMatchObject({ crashLooping: true });
    expect(status.services['crasher']!.restarts).toBeGreaterThanOrEqual(restarts.length);
    const metrics = await controller!.metrics();
    expect(metricValue(metrics, 'composelet_service_crash_looping', { project: crashProject, service: 'crasher' })).toBe(1);
    expect(metricValue(metrics, 'composelet_service_restarts_total', { project: crashProject, service: 'crasher' })).toBeGreaterThanOrEqual(
      restarts.length,
    );
  });
});
