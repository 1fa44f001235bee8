import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { RECONCILE_RESULTS } from '../../src/observability/metric-label-values.js';
import { killAllControllers, metricValue, printLogsIfFailed, startControllerProcess, waitUntilConverged, type ControllerProcess } from '../support/controller-process.js';

// The controller (`composelet run` from dist/), not `apply`, SIGKILLed in the middle of a rollout
// (COMPOSELET_CRASH_AT, right before the replacement's monitor): the old container is aside, its
// replacement under the final name. The controller started again must finish the rollout or roll it
// back: never two containers, never none, the data kept, and a failed spec not retried by later reconciles.

const CLI = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/cli/main.js');
const execFileAsync = promisify(execFile);
const engine = testEngine();
const projects: string[] = [];
let controllers: ControllerProcess[] = [];

afterEach(async (context) => {
  printLogsIfFailed(context, controllers);
  await killAllControllers();
  controllers = [];
  for (const name of projects.splice(0)) await removeProjectObjects(engine, name);
});

const GOOD = `["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;

function stack(prefix: string) {
  const name = uniqueProjectName(prefix);
  projects.push(name);
  const root = mkdtempSync(join(tmpdir(), 'composelet-crash-'));
  const directory = join(root, name);
  mkdirSync(directory);
  const manifest = (command: string) =>
    [`name: ${name}`, 'x-composelet:', '  rollout: { monitor: 2s }', 'services:', '  api:', '    image: composelet/busybox:1', '    init: true', '    volumes: [data:/data]', `    command: ${command}`, 'volumes:', '  data: {}', ''].join('\n');
  const write = (command: string) => writeFileSync(join(directory, 'compose.yaml'), manifest(command));
  write(GOOD);
  // The same audit log and state directory as the controllers started over this root (controller-process.ts).
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], COMPOSELET_AUDIT_LOG: `${root}.audit.log`, COMPOSELET_STATE_DIR: `${root}.state` };
  const apply = () => execFileAsync(process.execPath, [CLI, 'apply', directory, '--timeout', '30s'], { env });
  return { name, root, container: `${name}-api-1`, apply, write };
}

async function containers(project: string): Promise<Array<{ id: string; name: string; state: string }>> {
  const ids = (await runDocker(['ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`])).trim().split('\n').filter(Boolean);
  const inspected = ids.length === 0 ? [] : JSON.parse(await runDocker(['inspect', ...ids]));
  return inspected.map((container: { Id: string; Name: string; State: { Status: string } }) => ({ id: container.Id, name: container.Name.slice(1), state: container.State.Status }));
}

async function crashControllerMidRollout(prefix: string, command: string) {
  const subject = stack(prefix);
  await subject.apply();
  await runDocker(['exec', subject.container, 'sh', '-c', 'echo sentinel > /data/file']);
  const [old] = await containers(subject.name);
  const crashing = await startControllerProcess({ root: subject.root, env: { COMPOSELET_CRASH_AT: 'wait:1' } });
  controllers.push(crashing);
  await waitUntilConverged(crashing, subject.name);
  subject.write(command);
  const exit = await crashing.exited;
  expect(exit.signal).toBe('SIGKILL');
  expect((await containers(subject.name)).map((container) => container.name).sort()).toEqual([subject.container, `${subject.container}-previous-${old!.id.slice(0, 12)}`]);
  const restarted = await startControllerProcess({ root: subject.root, resync: '1s' });
  controllers.push(restarted);
  return { subject, old: old!, restarted };
}

async function reconcilesOf(controller: ControllerProcess, project: string): Promise<number> {
  const text = await controller.metrics();
  return RECONCILE_RESULTS.reduce((sum, result) => sum + (metricValue(text, 'composelet_reconcile_total', { project, result }) ?? 0), 0);
}

describe('a controller SIGKILLed in the middle of a rollout', () => {
  it('must roll a failing spec back once restarted: the old container alone, with its data, and never retried', async () => {
    const { subject, old, restarted } = await crashControllerMidRollout('ctl-crash-bad', `["sh", "-c", "exit 1"]`);
    await eventually(
      async () => {
        expect(await containers(subject.name)).toEqual([{ id: old.id, name: subject.container, state: 'running' }]);
        expect((await restarted.projectStatus(subject.name)).services['api']?.rolledBack).toBeTruthy();
      },
      { timeoutMs: 60_000, message: 'the old container back alone and api reported rolled back' },
    );
    expect(await runDocker(['exec', subject.container, 'cat', '/data/file'])).toBe('sentinel\n');
    // Several more reconciles (resync every second) must leave the failed spec alone.
    const before = await reconcilesOf(restarted, subject.name);
    await eventually(async () => expect(await reconcilesOf(restarted, subject.name)).toBeGreaterThanOrEqual(before + 3), { timeoutMs: 30_000, message: 'three more reconciles' });
    expect(await containers(subject.name)).toEqual([{ id: old.id, name: subject.container, state: 'running' }]);
  });

  it('must finish a good spec once restarted: the replacement alone, with the data', async () => {
    const { subject, old } = await crashControllerMidRollout('ctl-crash-good', `["sh", "-c", "trap 'exit 0' TERM; sleep 86401 & wait"]`);
    const after = await eventually(
      async () => {
        const now = await containers(subject.name);
        expect(now.map((container) => [container.name, container.state])).toEqual([[subject.container, 'running']]);
        expect(now[0]!.id).not.toBe(old.id);
        return now;
      },
      { timeoutMs: 60_000, message: 'the replacement alone, running' },
    );
    expect(after).toHaveLength(1);
    expect(await runDocker(['exec', subject.container, 'cat', '/data/file'])).toBe('sentinel\n');
  });
});
