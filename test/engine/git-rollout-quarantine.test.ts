import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inspectProject } from '../support/converge-fixture.js';
import { killAllControllers, metricValue, printLogsIfFailed, startControllerProcess, waitUntilConverged, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startGitDaemon, type GitDaemon } from '../support/git-servers/git-daemon.js';
import { createTestRepository, type TestRepository } from '../support/git-servers/repository.js';
import type { GitStatus } from '../../src/git/git-status.js';

// `run --git` and safe rollouts together: a commit whose rollout fails is quarantined like an invalid
// one, and it is one transaction: every service it changed, in every project, goes back to the last good
// commit's spec; it is never retried, and a fix pushed after it is applied.

const engine = testEngine();
const shop = uniqueProjectName('git-tx-shop');
const blog = uniqueProjectName('git-tx-blog');
const SLEEP = `["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;
const service = (name: string, greeting: string, more = '') =>
  `  ${name}:\n    image: composelet/busybox:1\n    command: ${SLEEP}\n    environment:\n      GREETING: ${greeting}\n${more}`;
// Rollouts prove themselves at once (monitor 0s), except api's, watched for 2 s so that a command that
// exits is caught.
const shopCompose = (greeting: string, apiCommand = SLEEP) =>
  `name: ${shop}\nx-composelet:\n  rollout: { monitor: 0s }\nservices:\n${service('db', greeting)}` +
  `  api:\n    image: composelet/busybox:1\n    command: ${apiCommand}\n    depends_on: [db]\n    environment:\n      GREETING: ${greeting}\n    x-composelet:\n      rollout: { monitor: 2s }\n` +
  service('worker', greeting, '    depends_on: [db]\n');
const blogCompose = (greeting: string) => `name: ${blog}\nx-composelet:\n  rollout: { monitor: 0s }\nservices:\n${service('web', greeting)}`;
const EXITS = `["sh", "-c", "echo cannot reach the payment gateway; exit 1"]`;

let repository: TestRepository;
let daemon: GitDaemon;
let controller: ControllerProcess | undefined;
let base = '';

async function gitStatus(): Promise<GitStatus> {
  return ((await controller!.status()) as unknown as { git: GitStatus }).git;
}

async function greetings(): Promise<Record<string, string | undefined>> {
  const [shopContainers, blogContainers] = await Promise.all([inspectProject(engine, shop), inspectProject(engine, blog)]);
  const greetingOf = (inspect: { Config: { Env: string[] | null }; State: { Running: boolean } } | undefined) =>
    inspect?.State.Running ? inspect.Config.Env?.find((entry) => entry.startsWith('GREETING='))?.slice('GREETING='.length) : undefined;
  return { db: greetingOf(shopContainers['db']), api: greetingOf(shopContainers['api']), worker: greetingOf(shopContainers['worker']), web: greetingOf(blogContainers['web']) };
}

async function allGreet(greeting: string, timeoutMs: number): Promise<void> {
  await eventually(async () => expect(await greetings()).toEqual({ db: greeting, api: greeting, worker: greeting, web: greeting }), {
    timeoutMs,
    intervalMs: 200,
    message: `every service running with GREETING=${greeting}`,
  });
}

describe('run --git: a failed rollout quarantines the commit that introduced it', () => {
  beforeAll(async () => {
    repository = createTestRepository();
    repository.commit({ [`stacks/${shop}/compose.yaml`]: shopCompose('one'), [`stacks/${blog}/compose.yaml`]: blogCompose('one') });
    daemon = await startGitDaemon(repository.baseDirectory);
    base = mkdtempSync(join(tmpdir(), 'composelet-git-tx-'));
    controller = await startControllerProcess({
      root: join(base, 'run'),
      rootArgument: false,
      extraArgs: ['--git', daemon.url('origin.git'), '--git-path', 'stacks', '--poll', '1s'],
    });
    await waitUntilConverged(controller, shop);
    await waitUntilConverged(controller, blog);
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await daemon?.stop();
    await removeProjectObjects(engine, shop);
    await removeProjectObjects(engine, blog);
    repository?.remove();
  });

  it('a commit whose rollout of api fails must be quarantined, and every service it changed in every project must run the last good spec again', async () => {
    await allGreet('one', 10_000);
    const good = (await gitStatus()).commit!;
    const apiBefore = (await inspectProject(engine, shop))['api']!.Id;
    const bad = repository.commit({ [`stacks/${shop}/compose.yaml`]: shopCompose('two', EXITS), [`stacks/${blog}/compose.yaml`]: blogCompose('two') });

    await eventually(
      async () => {
        const git = await gitStatus();
        expect(git.quarantined.map((entry) => entry.commit)).toContain(bad);
        expect(git.summary).toMatch(new RegExp(`^running ${good.slice(0, 7)}, commit ${bad.slice(0, 7)} rejected: rollout of api failed: .*exit`));
      },
      { timeoutMs: 30_000, message: 'the commit whose rollout failed quarantined, the good one back in force' },
    );
    // one transaction: db, worker (same project) and web (another project) all run the good commit's spec again
    await allGreet('one', 30_000);
    expect((await inspectProject(engine, shop))['api']!.Id).toBe(apiBefore);
    await eventually(async () => expect((await controller!.projectStatus(shop)).commit).toBe(good));
    expect(metricValue(await controller!.metrics(), 'composelet_git_commit_quarantined', { commit: bad })).toBe(1);
    expect(readFileSync(`${join(base, 'run')}.audit.log`, 'utf8')).toMatch(new RegExp(`"action":"quarantine-commit".*"cause":"rollout of api failed: [^"]*".*"manifestCommit":"${bad}"`));

    // never retried: polls go on, api is not rolled out again, the quarantine is said once
    const fetchedAt = (await gitStatus()).lastFetchSuccessAt;
    await eventually(async () => expect((await gitStatus()).lastFetchSuccessAt).not.toBe(fetchedAt), { timeoutMs: 5_000 });
    await waitUntilConverged(controller!, shop);
    expect((await gitStatus()).commit).toBe(good);
    expect((await inspectProject(engine, shop))['api']!.Id).toBe(apiBefore);
    expect(controller!.logs().filter((line) => line.msg.startsWith(`commit ${bad.slice(0, 7)} quarantined`))).toHaveLength(1);
  });

  it('a fix pushed after the quarantined commit must be applied, and a later healthy rollout must not quarantine it', async () => {
    const fix = repository.commit({ [`stacks/${shop}/compose.yaml`]: shopCompose('three'), [`stacks/${blog}/compose.yaml`]: blogCompose('three') });
    await allGreet('three', 30_000);
    await eventually(async () => expect((await gitStatus()).summary).toBe(`running ${fix.slice(0, 7)}`), { timeoutMs: 10_000 });
    await waitUntilConverged(controller!, shop);
    expect((await gitStatus()).quarantined.map((entry) => entry.commit)).not.toContain(fix);
  });
});
