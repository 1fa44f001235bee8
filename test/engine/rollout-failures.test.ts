import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';

// Safe rollouts on the real engine: a replacement that fails (an image that does not exist, a command
// that exits, a healthcheck that turns, a port someone holds) must leave the old container serving, the
// same container with its data, and a second apply must not try the failed spec again.

const engine = testEngine();
const projects: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) server.close();
  for (const name of projects.splice(0)) await removeProjectObjects(engine, name);
});

const GOOD_COMMAND = `["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;

function stack(prefix: string, service: string) {
  const name = uniqueProjectName(prefix);
  projects.push(name);
  const manifest = (body: string) =>
    [
      `name: ${name}`,
      'x-composelet:',
      '  rollout: { monitor: 2s }',
      'services:',
      '  api:',
      '    image: composelet/busybox:1',
      '    init: true',
      '    volumes: [data:/data]',
      body,
      'volumes:',
      '  data: {}',
      '',
    ].join('\n');
  const directory = writeManifestTree({ 'compose.yaml': manifest(service) });
  return {
    name,
    container: `${name}-api-1`,
    write: (body: string) => writeFileSync(join(directory, 'compose.yaml'), manifest(body)),
    apply: (...extra: string[]) => runCliCaptured(['apply', directory, '--timeout', '30s', ...extra]),
  };
}

async function live(container: string): Promise<{ id: string; running: boolean; startedAt: string; name: string }> {
  const [inspect] = JSON.parse(await runDocker(['inspect', container]));
  return { id: inspect.Id, running: inspect.State.Running, startedAt: inspect.State.StartedAt, name: inspect.Name };
}

async function projectContainers(project: string): Promise<string[]> {
  return (await runDocker(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}} {{.State}}']))
    .trim()
    .split('\n')
    .filter(Boolean)
    .sort();
}

/** Applies the good spec, writes a sentinel into the volume, applies `bad`: the old one must serve again. */
async function failingRollout(prefix: string, bad: string) {
  const subject = stack(prefix, `    command: ${GOOD_COMMAND}`);
  expect((await subject.apply()).code).toBe(0);
  await runDocker(['exec', subject.container, 'sh', '-c', 'echo sentinel > /data/file']);
  const before = await live(subject.container);
  subject.write(bad);
  const failed = await subject.apply();
  const after = await live(subject.container);
  return { subject, before, after, failed };
}

async function expectOldServesAndNoRetry(result: Awaited<ReturnType<typeof failingRollout>>) {
  const { subject, before, after, failed } = result;
  expect(failed.code).toBe(1);
  expect(after.id).toBe(before.id);
  expect(after.running).toBe(true);
  expect(after.name).toBe(`/${subject.container}`);
  expect(await runDocker(['exec', subject.container, 'cat', '/data/file'])).toBe('sentinel\n');
  expect(await projectContainers(subject.name)).toEqual([`${subject.container} running`]);
  const again = await subject.apply();
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/failed before/);
  expect(await live(subject.container)).toEqual(after);
}

describe('rollouts that fail', () => {
  it('an image tag that does not exist must fail before the old container is stopped or renamed', async () => {
    const result = await failingRollout('rollout-image', `    command: ${GOOD_COMMAND}\n    image: composelet/busybox:does-not-exist`);
    expect(result.after.startedAt).toBe(result.before.startedAt);
    expect(result.failed.code).toBe(1);
    expect(result.after.id).toBe(result.before.id);
    expect(await projectContainers(result.subject.name)).toEqual([`${result.subject.container} running`]);
  });

  it('a command that exits 1 must be rolled back to the old container with its data, and not be retried', async () => {
    const result = await failingRollout('rollout-exit', `    command: ["sh", "-c", "exit 1"]`);
    expect(result.failed.stdout + result.failed.stderr).toMatch(/rolled back api: new container (exited with code 1|restarted)/);
    await expectOldServesAndNoRetry(result);
    const retried = await result.subject.apply('--retry-failed');
    expect(retried.code).toBe(1);
    expect((await live(result.subject.container)).id).toBe(result.before.id);
  });

  it('a healthcheck that passes and then fails within the monitor period must be rolled back with its output as evidence', async () => {
    const result = await failingRollout(
      'rollout-health',
      [
        `    command: ["sh", "-c", "trap 'exit 0' TERM; (sleep 2; touch /tmp/broken) & sleep 86400 & wait"]`,
        `    healthcheck: { test: ["CMD-SHELL", "if [ -f /tmp/broken ]; then echo database gone; exit 1; fi"], interval: 500ms, retries: 1 }`,
        `    x-composelet: { rollout: { monitor: 6s } }`,
      ].join('\n'),
    );
    expect(result.failed.stdout + result.failed.stderr).toMatch(/rolled back api: new container unhealthy after [\d.]+ s: database gone/);
    await expectOldServesAndNoRetry(result);
  });

  it('a host port another process holds must roll back to the old container', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as { port: number }).port;
    const result = await failingRollout('rollout-port', `    command: ${GOOD_COMMAND}\n    ports: ["${port}:80"]`);
    expect(result.failed.stdout + result.failed.stderr).toMatch(/rolled back api/);
    await expectOldServesAndNoRetry(result);
  });
});
