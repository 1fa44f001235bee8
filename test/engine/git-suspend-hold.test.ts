import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inspectProject } from '../support/converge-fixture.js';
import { killAllControllers, printLogsIfFailed, startControllerProcess, waitUntilConverged, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startGitDaemon, type GitDaemon } from '../support/git-servers/git-daemon.js';
import { createTestRepository, type TestRepository } from '../support/git-servers/repository.js';
import { runCliCaptured } from '../support/run-cli.js';
import type { GitStatus } from '../../src/git/git-status.js';

// A project-level suspension holds git deploys for that project: a new commit is fetched, validated and
// put in force for the other projects, while the suspended one keeps running what it ran, and status and
// drift say the commit is held; a resume applies it at once.

const engine = testEngine();
const held = uniqueProjectName('git-hold');
const free = uniqueProjectName('git-free');
const compose = (name: string, greeting: string) =>
  `name: ${name}\nx-composelet:\n  rollout: { monitor: 0s }\nservices:\n  app:\n    image: composelet/busybox:1\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n    environment:\n      GREETING: ${greeting}\n`;

let repository: TestRepository;
let daemon: GitDaemon;
let controller: ControllerProcess | undefined;
let root = '';
let driftDirectory = '';

const cli = (args: string[]) => runCliCaptured(args, { env: { PATH: process.env.PATH, COMPOSELET_STATE_DIR: `${root}.state`, COMPOSELET_AUDIT_LOG: `${root}.audit.log` } });
const checkout = (project: string) => join(`${root}.state`, 'git', 'current', 'stacks', project);

async function greeting(project: string): Promise<string | undefined> {
  const app = (await inspectProject(engine, project))['app'];
  return app?.State.Running ? app.Config.Env?.find((entry) => entry.startsWith('GREETING='))?.slice('GREETING='.length) : undefined;
}

describe('run --git with a suspended project', () => {
  beforeAll(async () => {
    repository = createTestRepository();
    repository.commit({ [`stacks/${held}/compose.yaml`]: compose(held, 'one'), [`stacks/${free}/compose.yaml`]: compose(free, 'one') });
    daemon = await startGitDaemon(repository.baseDirectory);
    const base = mkdtempSync(join(tmpdir(), 'composelet-git-hold-'));
    root = join(base, 'run');
    driftDirectory = join(base, 'drift');
    controller = await startControllerProcess({
      root,
      rootArgument: false,
      extraArgs: ['--git', daemon.url('origin.git'), '--git-path', 'stacks', '--poll', '1s', '--drift-interval', '1s', '--drift-report-dir', driftDirectory],
    });
    await waitUntilConverged(controller, held);
    await waitUntilConverged(controller, free);
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await daemon?.stop();
    await removeProjectObjects(engine, held);
    await removeProjectObjects(engine, free);
    repository?.remove();
  });

  it('a new commit must not be applied to a suspended project until it is resumed, and status and drift must say it is held', async () => {
    const first = ((await controller!.status()) as unknown as { git: GitStatus }).git.commit!;
    const suspended = await cli(['suspend', checkout(held), '--reason', 'release freeze', '--until-resumed']);
    expect(suspended.code, suspended.stderr).toBe(0);
    const second = repository.commit({ [`stacks/${held}/compose.yaml`]: compose(held, 'two'), [`stacks/${free}/compose.yaml`]: compose(free, 'two') });

    // the other project gets it; the suspended one is held at the commit it ran
    await eventually(async () => expect(await greeting(free)).toBe('two'), { timeoutMs: 15_000, message: `${free} on the new commit` });
    const heldStatus = await eventually(
      async () => {
        const status = await controller!.projectStatus(held);
        expect(status.gitHeld).toMatch(new RegExp(`^commit ${second.slice(0, 7)} not applied: suspended by \\S+ until resumed: release freeze$`));
        return status;
      },
      { timeoutMs: 10_000, message: 'status says the commit is held' },
    );
    expect(heldStatus.commit).toBe(first);
    expect((await controller!.projectStatus(free)).commit).toBe(second);
    expect(await greeting(held)).toBe('one');
    await eventually(
      () => {
        const latest = JSON.parse(readFileSync(join(driftDirectory, 'latest.json'), 'utf8')) as { projects: Array<{ name: string; suspensions?: Array<{ message: string }> }> };
        const messages = latest.projects.find((project) => project.name === held)?.suspensions?.map((entry) => entry.message) ?? [];
        expect(messages.join('\n')).toContain(`commit ${second.slice(0, 7)} not applied`);
      },
      { timeoutMs: 10_000, message: 'the drift report says the commit is held' },
    );
    const shown = await cli(['status', checkout(free), '--metrics-address', controller!.metricsAddress]);
    expect(shown.stdout).toContain(`${held}: commit ${second.slice(0, 7)} not applied: suspended by`);

    const resumed = await cli(['resume', checkout(held)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    await eventually(async () => expect(await greeting(held)).toBe('two'), { timeoutMs: 15_000, message: `${held} on the new commit after the resume` });
    await eventually(async () => expect(await controller!.projectStatus(held)).toMatchObject({ commit: second, gitHeld: null }), { timeoutMs: 10_000 });
  });
});
