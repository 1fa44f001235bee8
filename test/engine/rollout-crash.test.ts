import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { TEST_AUDIT_LOG, TEST_STATE_DIR } from '../support/run-cli.js';

// A process SIGKILLed in the middle of a rollout (COMPOSELET_CRASH_AT, right before the replacement's
// monitor) leaves the old container renamed aside beside its replacement. The next apply must finish the
// rollout or roll it back: never two containers, never none, and the old one keeps its data.

const CLI = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/cli/main.js');
const execFileAsync = promisify(execFile);
const engine = testEngine();
const projects: string[] = [];
afterEach(async () => {
  for (const name of projects.splice(0)) await removeProjectObjects(engine, name);
});

const GOOD = `["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;

function stack(prefix: string) {
  const name = uniqueProjectName(prefix);
  projects.push(name);
  const manifest = (command: string) =>
    [`name: ${name}`, 'x-composelet:', '  rollout: { monitor: 2s }', 'services:', '  api:', '    image: composelet/busybox:1', '    init: true', '    volumes: [data:/data]', `    command: ${command}`, 'volumes:', '  data: {}', ''].join('\n');
  const directory = writeManifestTree({ 'compose.yaml': manifest(GOOD) });
  const apply = async (env: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, 'apply', directory, '--timeout', '30s'], {
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], COMPOSELET_AUDIT_LOG: TEST_AUDIT_LOG, COMPOSELET_STATE_DIR: TEST_STATE_DIR, ...env },
      });
      return { code: 0, signal: null as string | null, output: stdout + stderr };
    } catch (error) {
      const failure = error as { code: number | null; signal: string | null; stdout: string; stderr: string };
      return { code: failure.code, signal: failure.signal, output: failure.stdout + failure.stderr };
    }
  };
  return { name, container: `${name}-api-1`, apply, write: (command: string) => writeFileSync(join(directory, 'compose.yaml'), manifest(command)) };
}

async function containers(project: string): Promise<Array<{ id: string; name: string; state: string; command: string }>> {
  const ids = (await runDocker(['ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`])).trim().split('\n').filter(Boolean);
  const inspected = ids.length === 0 ? [] : JSON.parse(await runDocker(['inspect', ...ids]));
  return inspected.map((container: { Id: string; Name: string; State: { Status: string }; Config: { Cmd: string[] } }) => ({
    id: container.Id,
    name: container.Name.slice(1),
    state: container.State.Status,
    command: container.Config.Cmd.join(' '),
  }));
}

async function crashMidRollout(prefix: string, command: string) {
  const subject = stack(prefix);
  expect((await subject.apply()).code).toBe(0);
  await runDocker(['exec', subject.container, 'sh', '-c', 'echo sentinel > /data/file']);
  const [old] = await containers(subject.name);
  subject.write(command);
  const crashed = await subject.apply({ COMPOSELET_CRASH_AT: 'wait:1' });
  expect(crashed.signal).toBe('SIGKILL');
  // Mid-rollout: the old container aside, its replacement under the final name.
  expect((await containers(subject.name)).map((container) => container.name).sort()).toEqual([subject.container, `${subject.container}-previous-${old!.id.slice(0, 12)}`]);
  return { subject, old: old! };
}

describe('a rollout interrupted by SIGKILL', () => {
  it('a failing spec must be rolled back on the next apply: the old container alone, with its data, and not retried', async () => {
    const { subject, old } = await crashMidRollout('rollout-crash-bad', `["sh", "-c", "exit 1"]`);
    const next = await subject.apply();
    expect(next.code).toBe(1);
    expect(next.output).toMatch(/rolled back api/);
    expect(await containers(subject.name)).toEqual([{ id: old.id, name: subject.container, state: 'running', command: old.command }]);
    expect(await runDocker(['exec', subject.container, 'cat', '/data/file'])).toBe('sentinel\n');
    const again = await subject.apply();
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/failed before/);
    expect((await containers(subject.name)).map((container) => container.id)).toEqual([old.id]);
  });

  it('a good spec must be finished on the next apply: the replacement alone, with the data', async () => {
    const { subject, old } = await crashMidRollout('rollout-crash-good', `["sh", "-c", "trap 'exit 0' TERM; sleep 86401 & wait"]`);
    expect((await subject.apply()).code).toBe(0);
    const after = await containers(subject.name);
    expect(after.map((container) => [container.name, container.state])).toEqual([[subject.container, 'running']]);
    expect(after[0]!.id).not.toBe(old.id);
    expect(await runDocker(['exec', subject.container, 'cat', '/data/file'])).toBe('sentinel\n');
  });
});
