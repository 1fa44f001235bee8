import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identity, inspectProject, stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';

// Apply, re-apply, change and plan on a multi-tier stack, asserting on the real engine's state.

const engine = testEngine();

describe('apply on a multi-tier stack', () => {
  const stack = stackFixture('converge-tiers', uniqueProjectName('tiers'));
  let firstApply: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    firstApply = await stack.run('apply', '--timeout', '60s');
  }, 120_000);
  afterAll(() => removeProjectObjects(engine, stack.projectName));

  it('apply must converge every service and exit 0', async () => {
    expect(firstApply.stderr).toBe('');
    expect(firstApply.code).toBe(0);
    const containers = await inspectProject(engine, stack.projectName);
    expect(Object.keys(containers).sort()).toEqual(['api', 'db', 'migrate', 'web']);
    expect(containers.db!.State.Health?.Status).toBe('healthy');
    expect(containers.api!.State.Running).toBe(true);
    expect(containers.web!.State.Running).toBe(true);
    expect(containers.migrate!.State).toMatchObject({ Status: 'exited', ExitCode: 0 });
  });

  it('containers must be named and labelled as Compose v2 does', async () => {
    const containers = await inspectProject(engine, stack.projectName);
    expect(containers.api!.Name).toBe(`/${stack.projectName}-api-1`);
    expect(containers.api!.Config.Labels).toMatchObject({
      'com.docker.compose.project': stack.projectName,
      'com.docker.compose.service': 'api',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.project.working_dir': stack.directory,
      'com.docker.compose.project.config_files': stack.file,
      'io.composelet.managed': 'true',
    });
    const networks = JSON.parse(await runDocker(['network', 'inspect', `${stack.projectName}_default`])) as Array<{ Labels: Record<string, string> }>;
    expect(networks[0]!.Labels['io.composelet.managed']).toBe('true');
  });

  it('dependents must start only after their dependency is healthy and the migration completed', async () => {
    const containers = await inspectProject(engine, stack.projectName);
    const firstHealthy = containers.db!.State.Health as unknown as { Log: Array<{ End: string; ExitCode: number }> };
    const dbHealthyAt = Date.parse(firstHealthy.Log.find((entry) => entry.ExitCode === 0)!.End);
    const migrationFinishedAt = Date.parse(containers.migrate!.State.FinishedAt);
    const apiStartedAt = Date.parse(containers.api!.State.StartedAt);
    expect(Date.parse(containers.migrate!.State.StartedAt)).toBeGreaterThanOrEqual(dbHealthyAt);
    expect(apiStartedAt).toBeGreaterThanOrEqual(migrationFinishedAt);
    expect(Date.parse(containers.web!.State.StartedAt)).toBeGreaterThanOrEqual(apiStartedAt);
  });

  it('a second apply must change nothing, and must not re-run the completed one-shot', async () => {
    const before = await inspectProject(engine, stack.projectName);
    const second = await stack.run('apply', '--timeout', '60s');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('no changes');
    const after = await inspectProject(engine, stack.projectName);
    for (const service of Object.keys(before)) expect(identity(after[service]!), service).toBe(identity(before[service]!));
  });

  it('plan on a converged project must be empty and --detailed-exitcode must say 0', async () => {
    const planned = await stack.run('plan', '--detailed-exitcode');
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('no changes');
  });

  it('changing one service must recreate only it', async () => {
    const before = await inspectProject(engine, stack.projectName);
    stack.edit((text) => text.replace('ROLE: api', 'ROLE: api-v2'));
    const planned = await stack.run('plan', '--detailed-exitcode');
    expect(planned.code).toBe(2);
    const applied = await stack.run('apply', '--timeout', '60s');
    expect(applied.code).toBe(0);
    const after = await inspectProject(engine, stack.projectName);
    expect(after.api!.Id).not.toBe(before.api!.Id);
    expect(after.api!.Config.Env).toContain('ROLE=api-v2');
    expect(after.api!.Name).toBe(`/${stack.projectName}-api-1`);
    for (const service of ['db', 'migrate', 'web']) expect(identity(after[service]!), service).toBe(identity(before[service]!));
  });

  it('a memory change must be applied in place without a restart', async () => {
    const before = await inspectProject(engine, stack.projectName);
    stack.edit((text) => text.replace(/(db:[\s\S]*?)mem_limit: 64m/, '$1mem_limit: 96m'));
    const applied = await stack.run('apply', '--timeout', '60s');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/update-container .*db.*memory/);
    const after = await inspectProject(engine, stack.projectName);
    expect(identity(after.db!)).toBe(identity(before.db!));
    expect(after.db!.HostConfig.Memory).toBe(96 * 1024 * 1024);
    const again = await stack.run('plan', '--detailed-exitcode');
    expect(again.stdout).toContain('no changes');
    expect(again.code).toBe(0);
  });

  it('every mutating action of apply must be in the audit log, and nothing for a no-op', async () => {
    const lines = readFileSync(stack.auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((entry) => entry.actor === 'apply' && entry.project === stack.projectName)).toBe(true);
    expect(lines.some((entry) => entry.action === 'create-container' && entry.service === 'api' && entry.result === 'succeeded')).toBe(true);
    expect(lines.some((entry) => entry.action === 'wait')).toBe(false);
    const recreated = lines.filter((entry) => entry.service === 'api' && entry.action === 'rename-container');
    expect(recreated.at(-1)?.specHashAfter).not.toBe(recreated.at(-1)?.specHashBefore);
    const count = lines.length;
    await stack.run('apply');
    expect(readFileSync(stack.auditLog, 'utf8').trim().split('\n')).toHaveLength(count);
  });

  it('a container stopped by hand must be started again by apply', async () => {
    await runDocker(['stop', '-t', '1', `${stack.projectName}-web-1`]);
    const applied = await stack.run('apply', '--timeout', '60s');
    expect(applied.code).toBe(0);
    const after = await inspectProject(engine, stack.projectName);
    expect(after.web!.State.Running).toBe(true);
  });
});
