import { afterEach, describe, expect, it } from 'vitest';
import { identity, inspectProject, stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { runCliCaptured } from '../support/run-cli.js';

// Nothing lost: data survives recreates, what composelet does not own is never touched, orphans stay
// unless asked, and bad input changes nothing running.

const engine = testEngine();
const projects: string[] = [];
function project(prefix: string): string {
  const name = uniqueProjectName(prefix);
  projects.push(name);
  return name;
}
afterEach(async () => {
  for (const name of projects.splice(0)) await removeProjectObjects(engine, name);
});

describe('converge safety', () => {
  it('data in named and anonymous volumes must survive a recreate', async () => {
    const stack = stackFixture('converge-volumes', project('volumes'));
    expect((await stack.run('apply')).code).toBe(0);
    const container = `${stack.projectName}-store-1`;
    await runDocker(['exec', container, 'sh', '-c', 'echo named-data > /named/file && echo anonymous-data > /anonymous/file']);
    const before = await inspectProject(engine, stack.projectName);

    stack.edit((text) => text.replace('GENERATION: "1"', 'GENERATION: "2"'));
    expect((await stack.run('apply')).code).toBe(0);

    const after = await inspectProject(engine, stack.projectName);
    expect(after.store!.Id).not.toBe(before.store!.Id);
    expect(await runDocker(['exec', container, 'cat', '/named/file'])).toBe('named-data\n');
    expect(await runDocker(['exec', container, 'cat', '/anonymous/file'])).toBe('anonymous-data\n');
  });

  it('a container composelet does not own must be untouched by apply and down, even with the project label', async () => {
    const stack = stackFixture('converge-orphans', project('foreign'));
    const foreign = `${stack.projectName}-handmade`;
    await runDocker([
      'run', '-d', '--name', foreign, '--init',
      '--label', `com.docker.compose.project=${stack.projectName}`,
      '--label', 'com.docker.compose.service=keep',
      'composelet/busybox:1', 'sh', '-c', "trap 'exit 0' TERM; sleep 86400 & wait",
    ]);
    const before = JSON.parse(await runDocker(['inspect', foreign]))[0];

    // It carries service keep's compose labels: without adoption, apply refuses the whole project.
    const applied = await stack.run('apply', '--prune');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('running under docker compose, not adopted: keep');
    expect(await runDocker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${stack.projectName}`])).toBe(`${before.Id.slice(0, 12)}\n`);
    expect((await stack.run('down', '--volumes')).code).toBe(0);

    const after = JSON.parse(await runDocker(['inspect', foreign]))[0];
    expect(`${after.Id} ${after.State.StartedAt} ${after.State.Running}`).toBe(`${before.Id} ${before.State.StartedAt} true`);
  });

  it('an orphan must stay until apply --prune removes it', async () => {
    const stack = stackFixture('converge-orphans', project('orphans'));
    expect((await stack.run('apply')).code).toBe(0);
    stack.edit((text) => text.replace(/ {2}leaving:[\s\S]*$/, ''));

    const kept = await stack.run('apply');
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/leaving.*orphan/);
    expect(Object.keys(await inspectProject(engine, stack.projectName)).sort()).toEqual(['keep', 'leaving']);

    const pruned = await stack.run('apply', '--prune');
    expect(pruned.code).toBe(0);
    expect(Object.keys(await inspectProject(engine, stack.projectName))).toEqual(['keep']);
  });

  it('an invalid manifest must change nothing running', async () => {
    const stack = stackFixture('converge-orphans', project('invalid'));
    expect((await stack.run('apply')).code).toBe(0);
    const before = await inspectProject(engine, stack.projectName);
    stack.edit((text) => text.replace('image: composelet/busybox:1', 'imgae: composelet/busybox:1'));

    const applied = await stack.run('apply');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/compose\.yaml:3:5: services\.keep\.imgae: unknown key/);
    expect(applied.stderr).toContain('nothing was changed');
    const after = await inspectProject(engine, stack.projectName);
    for (const service of Object.keys(before)) expect(identity(after[service]!)).toBe(identity(before[service]!));
  });

  it('a missing image must be a clear error naming it, and change nothing running', async () => {
    const stack = stackFixture('converge-orphans', project('noimage'));
    expect((await stack.run('apply')).code).toBe(0);
    const before = await inspectProject(engine, stack.projectName);
    stack.edit((text) => text.replace(/(leaving:\n\s+image: )composelet\/busybox:1/, '$1composelet/does-not-exist:1'));

    const applied = await stack.run('apply', '--timeout', '20s');
    expect(applied.code).toBe(1);
    expect(`${applied.stdout}${applied.stderr}`).toContain('composelet/does-not-exist:1');
    const after = await inspectProject(engine, stack.projectName);
    expect(identity(after.keep!)).toBe(identity(before.keep!));
    expect(after.leaving!.Id).toBe(before.leaving!.Id);
    expect(after.leaving!.State.Running).toBe(true);
  });

  it('down must remove the containers and networks composelet created and keep volumes without --volumes', async () => {
    const stack = stackFixture('converge-volumes', project('down'));
    expect((await stack.run('apply')).code).toBe(0);
    expect((await stack.run('down')).code).toBe(0);
    expect(await inspectProject(engine, stack.projectName)).toEqual({});
    expect(await runDocker(['volume', 'ls', '-q', '--filter', `name=${stack.projectName}_named`])).toContain(`${stack.projectName}_named`);
    expect(await runDocker(['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${stack.projectName}`])).toBe('');
  });

  it('a policy rule raised to error must block apply and create nothing', async () => {
    const stack = stackFixture('converge-orphans', project('policy'));
    stack.edit((text) => `x-composelet:\n  policy:\n    rules: { no-privileged: error }\n${text.replace('  keep:\n', '  keep:\n    privileged: true\n')}`);
    const applied = await stack.run('apply');
    expect(applied.code).toBe(1);
    expect(applied.stdout).toMatch(/error no-privileged services\.keep\.privileged/);
    expect(applied.stderr).toContain('nothing was changed');
    expect(await inspectProject(engine, stack.projectName)).toEqual({});
  });

  it('an unreachable engine must be one clear line and exit 1', async () => {
    const stack = stackFixture('converge-orphans', 'unreachable');
    const result = await runCliCaptured(['plan', stack.directory], { env: { PATH: process.env.PATH, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cannot reach the Docker engine at unix:///nonexistent/docker.sock');
  });
});
