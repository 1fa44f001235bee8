import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';

// `composelet rollback PATH SERVICE` on the real engine: an update that is healthy but wrong goes back to the
// previous spec (kept as data, the old container long gone), as a rollout, and the wrong spec is held.

const engine = testEngine();
const projects: string[] = [];
afterEach(async () => {
  for (const name of projects.splice(0)) await removeProjectObjects(engine, name);
});

async function inspect(container: string): Promise<{ id: string; running: boolean; env: string[]; image: string; specHash: string }> {
  const [live] = JSON.parse(await runDocker(['inspect', container]));
  return { id: live.Id, running: live.State.Running, env: live.Config.Env, image: live.Config.Image, specHash: live.Config.Labels['io.composelet.spec-hash'] };
}

describe('composelet rollback', () => {
  it('after a healthy-but-wrong update, rollback must restore the previous spec and hold the wrong one', async () => {
    const name = uniqueProjectName('rollback');
    projects.push(name);
    const manifest = (greeting: string) =>
      [
        `name: ${name}`,
        'x-composelet:',
        '  rollout: { monitor: 1s }',
        'services:',
        '  api:',
        '    image: composelet/busybox:1',
        `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`,
        `    environment: { GREETING: ${greeting} }`,
        '    volumes: [data:/data]',
        'volumes:',
        '  data: {}',
        '',
      ].join('\n');
    const directory = writeManifestTree({ 'compose.yaml': manifest('hello') });
    const container = `${name}-api-1`;
    expect((await runCliCaptured(['apply', directory, '--timeout', '30s'])).code).toBe(0);
    const first = await inspect(container);
    await runDocker(['exec', container, 'sh', '-c', 'echo sentinel > /data/file']);
    writeFileSync(join(directory, 'compose.yaml'), manifest('wrong'));
    expect((await runCliCaptured(['apply', directory, '--timeout', '30s'])).code).toBe(0);
    const wrong = await inspect(container);
    expect(wrong.env).toContain('GREETING=wrong');
    expect(wrong.id).not.toBe(first.id);

    const rolledBack = await runCliCaptured(['rollback', directory, 'api', '--timeout', '30s']);
    expect(rolledBack.stderr).toBe('');
    expect(rolledBack.code).toBe(0);
    const after = await inspect(container);
    expect(after.running).toBe(true);
    expect(after.env).toContain('GREETING=hello');
    expect(after.specHash).toBe(first.specHash);
    expect(after.image).toBe(first.image);
    expect(await runDocker(['exec', container, 'cat', '/data/file'])).toBe('sentinel\n');
    // The wrong spec is held: apply refuses it, touching nothing.
    const again = await runCliCaptured(['apply', directory, '--timeout', '30s']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/rolled back by hand/);
    expect((await inspect(container)).id).toBe(after.id);
  });

  it('a service with no previous spec kept must be refused, nothing changed', async () => {
    const name = uniqueProjectName('rollback-none');
    projects.push(name);
    const directory = writeManifestTree({ 'compose.yaml': `name: ${name}\nservices:\n  api:\n    image: composelet/busybox:1\n    command: ["sleep", "600"]\n    init: true\n` });
    expect((await runCliCaptured(['apply', directory, '--timeout', '30s'])).code).toBe(0);
    const before = await inspect(`${name}-api-1`);
    const result = await runCliCaptured(['rollback', directory, 'api']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no previous spec is kept/);
    expect((await inspect(`${name}-api-1`)).id).toBe(before.id);
  });
});
