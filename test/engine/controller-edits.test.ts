import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { identity, inspectProject } from '../support/converge-fixture.js';
import { metricValue, waitUntilConverged } from '../support/controller-process.js';
import { runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { withController } from '../support/with-controller.js';

// Edits reach a running `composelet run` (the resync is 60 s): manifest edits through its file watcher (a
// good edit converges, a broken one is reported and changes nothing, and a fix is applied again), and
// limits are kept true in place, even after `docker update` out of band. One controller watches both
// projects (formerly controller-edits and controller-limits, each starting its own); each describe
// asserts on its own project only.

const engine = testEngine();
const projectName = uniqueProjectName('ctl-edit');
const limitsProject = uniqueProjectName('ctl-limits');
const MiB = 1024 * 1024;
const shared = withController({ projects: { [projectName]: 'controller-steady', [limitsProject]: 'controller-limits' }, resync: '60s' });
let file = '';
let goodText = '';

function identities(containers: Awaited<ReturnType<typeof inspectProject>>): Record<string, string> {
  return Object.fromEntries(Object.entries(containers).map(([service, inspect]) => [service, identity(inspect)]));
}

describe('composelet run applies manifest edits', () => {
  const controller = () => shared.controller;
  beforeAll(() => {
    file = shared.composeFile(projectName);
    goodText = readFileSync(file, 'utf8');
  });

  it('an edited environment value must be applied without restarting the controller, recreating only that service', async () => {
    const before = await inspectProject(engine, projectName);
    goodText = goodText.replace('GREETING: hello', 'GREETING: edited');
    writeFileSync(file, goodText);

    const after = await eventually(
      async () => {
        const containers = await inspectProject(engine, projectName);
        expect(containers['api']?.Config.Env).toContain('GREETING=edited');
        expect(containers['api']?.State.Running).toBe(true);
        return containers;
      },
      { timeoutMs: 15_000, message: 'api recreated with the edited value' },
    );
    expect(after['api']!.Id).not.toBe(before['api']!.Id);
    for (const service of ['db', 'migrate', 'web', 'slow']) expect(identity(after[service]!), service).toBe(identity(before[service]!));
    expect(controller().isRunning()).toBe(true);
    expect(controller().logs().some((line) => line.msg === 'manifests changed' && line['project'] === projectName)).toBe(true);
  });

  it.each([
    {
      breakage: 'invalid YAML',
      broken: (text: string) => text.replace('GREETING: edited', 'GREETING: [edited'),
      // the parser reports it where it notices, on the line of the open bracket or the next one
      issue: (path: string, line: number) => new RegExp(`^${path}:(${line}|${line + 1}):\\d+: invalid YAML`),
    },
    {
      breakage: 'an unknown key',
      broken: (text: string) => text.replace('GREETING: edited\n', 'GREETING: edited\n    restart_polcy: always\n'),
      issue: (path: string, line: number) => new RegExp(`^${path}:${line + 1}:5: services\\.api\\.restart_polcy: unknown key`),
    },
    {
      breakage: 'a policy rule raised to error',
      broken: (text: string) =>
        `x-composelet:\n  policy:\n    rules: { no-privileged: error }\n${text.replace('GREETING: edited\n', 'GREETING: edited-privileged\n    privileged: true\n')}`,
      issue: () => /^error no-privileged services\.api\.privileged: /,
    },
  ])('an edit with $breakage must be reported with file and line and must touch no container', async ({ broken, issue }) => {
    if ((await controller().projectStatus(projectName)).manifest.valid) await waitUntilConverged(controller(), projectName);
    const before = identities(await inspectProject(engine, projectName));
    const greetingLine = goodText.split('\n').findIndex((line) => line.includes('GREETING:')) + 1;
    const editedAt = Date.now();
    writeFileSync(file, broken(goodText));

    const status = await eventually(
      async () => {
        const current = await controller().projectStatus(projectName);
        expect(current.manifest.valid).toBe(false);
        expect(current.manifest.issues).toEqual([expect.stringMatching(issue(file, greetingLine))]);
        // the reconcile that read the broken file has finished (it sets the manifest status first)
        expect(current.lastReconcile?.at).toBeGreaterThan(editedAt);
        return current;
      },
      { timeoutMs: 10_000, message: 'the broken manifest reported at /status' },
    );
    // the last good desired state stays in force: the reconcile ran on it and found nothing to do
    expect(status.lastReconcile).toMatchObject({ result: 'success', operations: 0 });
    expect(metricValue(await controller().metrics(), 'composelet_manifest_valid', { project: projectName })).toBe(0);
    expect(identities(await inspectProject(engine, projectName))).toEqual(before);
    expect(controller().isRunning()).toBe(true);
  });

  it('fixing a broken manifest must apply the fixed desired state', async () => {
    expect((await controller().projectStatus(projectName)).manifest.valid, 'left broken by the test before').toBe(false);
    const before = await inspectProject(engine, projectName);
    goodText = goodText.replace('GREETING: edited', 'GREETING: fixed');
    writeFileSync(file, goodText);

    await eventually(
      async () => {
        const containers = await inspectProject(engine, projectName);
        expect(containers['api']?.Config.Env).toContain('GREETING=fixed');
        expect(containers['api']?.State.Running).toBe(true);
      },
      { timeoutMs: 15_000, message: 'api recreated with the fixed value' },
    );
    const status = await waitUntilConverged(controller(), projectName);
    expect(status.manifest).toEqual({ valid: true, issues: [] });
    expect(metricValue(await controller().metrics(), 'composelet_manifest_valid', { project: projectName })).toBe(1);
    const after = await inspectProject(engine, projectName);
    for (const service of ['db', 'migrate', 'web', 'slow']) expect(identity(after[service]!), service).toBe(identity(before[service]!));
  });
});

// Limits are updated in place, and the controller keeps them true even where a container's limits label
// cannot tell: after `docker update` out of band, and after its own in-place update is edited back.

async function memoryOf(): Promise<{ id: string; memory: number; startedAt: string }> {
  const inspect = await engine.inspectContainer(`${limitsProject}-app-1`);
  return { id: inspect.Id, memory: inspect.HostConfig.Memory ?? 0, startedAt: inspect.State.StartedAt };
}

describe('limits kept true by the controller', () => {
  it('a memory limit changed by docker update must be put back, in place', async () => {
    const before = await memoryOf();
    expect(before.memory).toBe(64 * MiB);
    await runDocker(['update', '--memory', '96m', '--memory-swap', '192m', `${limitsProject}-app-1`]);
    const after = await eventually(
      async () => {
        const now = await memoryOf();
        expect(now.memory).toBe(64 * MiB);
        return now;
      },
      { timeoutMs: 15_000, message: 'the out-of-band memory limit reverted' },
    );
    expect(after.id).toBe(before.id);
    expect(after.startedAt).toBe(before.startedAt);
  });

  it('an in-place change edited back to the value the container was created with must be applied', async () => {
    const file = shared.composeFile(limitsProject);
    const original = readFileSync(file, 'utf8');
    const before = await memoryOf();
    writeFileSync(file, original.replace('mem_limit: 64m', 'mem_limit: 96m'));
    await eventually(async () => expect((await memoryOf()).memory).toBe(96 * MiB), { timeoutMs: 15_000, message: 'raised to 96m' });
    writeFileSync(file, original);
    await eventually(async () => expect((await memoryOf()).memory).toBe(64 * MiB), { timeoutMs: 15_000, message: 'back to 64m' });
    const after = await memoryOf();
    expect(after.id).toBe(before.id);
    expect(after.startedAt).toBe(before.startedAt);
  });
});
