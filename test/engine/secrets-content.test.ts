import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';

// Secrets and configs from `environment` and inline `content` are in the real container at their targets,
// with their mode and owner; their values never appear in the output; a changed value recreates the
// container with the new content.

const engine = testEngine();
const stack = stackFixture('secrets-content', uniqueProjectName('secrets-content'));

afterAll(async () => {
  await stack.run('down', '--volumes');
  await removeProjectObjects(engine, stack.projectName);
});

const inContainer = (container: string, ...command: string[]) => runDocker(['exec', container, ...command]);

describe('secrets and configs from environment and content', () => {
  it('the files must be in the container with their content, mode and owner, and never in the output', async () => {
    const planned = await stack.run('plan', '--json');
    const applied = await stack.run('apply');
    expect(applied.code).toBe(0);
    for (const output of [planned.stdout, planned.stderr, applied.stdout, applied.stderr]) expect(output).not.toContain('tok-engine-4242');

    const container = `${stack.projectName}-app-1`;
    expect(await inContainer(container, 'cat', '/run/secrets/token')).toBe('tok-engine-4242');
    expect(await inContainer(container, 'stat', '-c', '%a %u %g', '/run/secrets/token')).toBe('444 0 0\n');
    expect(await inContainer(container, 'cat', '/run/secrets/custom_token')).toBe('tok-engine-4242');
    expect(await inContainer(container, 'stat', '-c', '%a %u %g', '/run/secrets/custom_token')).toBe('400 1000 1001\n');
    expect(await inContainer(container, 'cat', '/etc/app.conf')).toBe('port=8080');

    expect((await stack.run('plan')).stdout).toMatch(/^\s*no changes$/m);
  }, 60_000);

  it('a changed value must recreate the container with the new content', async () => {
    const container = `${stack.projectName}-app-1`;
    const before = await engine.inspectContainer(container);
    writeFileSync(join(stack.directory, '.env'), 'APP_TOKEN=tok-rotated-9090\n');
    const applied = await stack.run('apply');
    expect(applied.code).toBe(0);
    expect(`${applied.stdout}${applied.stderr}`).not.toContain('tok-rotated-9090');
    const after = await engine.inspectContainer(container);
    expect(after.Id).not.toBe(before.Id);
    expect(await inContainer(container, 'cat', '/run/secrets/token')).toBe('tok-rotated-9090');
  }, 60_000);
});
