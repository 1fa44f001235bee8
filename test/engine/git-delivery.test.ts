import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inspectProject } from '../support/converge-fixture.js';
import { dashboardExpressions, exposedMetricNames, metricNamesInExpression, ruleExpressions } from '../support/metric-names.js';
import { killAllControllers, metricValue, printLogsIfFailed, startControllerProcess, waitUntilConverged, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startGitHttpServer, type GitHttpServer } from '../support/git-servers/http-backend.js';
import { createTestRepository, type TestRepository } from '../support/git-servers/repository.js';
import type { GitStatus } from '../../src/git/git-status.js';

// `composelet run --git` over HTTP with a token, polling every second: a push is applied within one
// poll, a broken commit is quarantined while the last good one keeps running and a fix after it is
// applied, the server going away changes nothing that runs, and the token appears in no output.

const engine = testEngine();
const projectName = uniqueProjectName('git-http');
const TOKEN = 'tok-4e1b77c2d9a04f3b8c65';
const compose = (greeting: string) =>
  // The rollout's monitor is not what these tests are about: a new spec proves itself at once.
  `x-composelet:\n  rollout: { monitor: 0s }\nservices:\n  api:\n    image: composelet/busybox:1\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n    environment:\n      GREETING: ${greeting}\n`;
let repository: TestRepository;
let server: GitHttpServer;
let controller: ControllerProcess | undefined;
let base = '';
const file = `stacks/${projectName}/compose.yaml`;
const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));

async function gitStatus(): Promise<GitStatus> {
  return ((await controller!.status()) as unknown as { git: GitStatus }).git;
}

async function greetingRunning(greeting: string, timeoutMs: number): Promise<string> {
  return eventually(
    async () => {
      const api = (await inspectProject(engine, projectName))['api'];
      expect(api?.Config.Env).toContain(`GREETING=${greeting}`);
      expect(api?.State.Running).toBe(true);
      return api!.Id;
    },
    { timeoutMs, intervalMs: 100, message: `api running with GREETING=${greeting}` },
  );
}

describe('composelet run --git (HTTP, token, 1 s poll)', () => {
  beforeAll(async () => {
    repository = createTestRepository();
    repository.commit({ [file]: compose('one') });
    server = await startGitHttpServer({ baseDirectory: repository.baseDirectory, token: TOKEN });
    base = mkdtempSync(join(tmpdir(), 'composelet-git-engine-'));
    const tokenFile = join(base, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    controller = await startControllerProcess({
      root: join(base, 'run'),
      rootArgument: false,
      extraArgs: ['--git', server.url('origin.git'), '--git-path', 'stacks', '--poll', '1s', '--git-token-file', tokenFile],
    });
    await waitUntilConverged(controller, projectName);
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await server?.stop();
    await removeProjectObjects(engine, projectName);
    repository?.remove();
  });

  it('a push must be applied by the poll, and its commit shown in status, metrics and the audit log', async () => {
    await greetingRunning('one', 5_000);
    const pushedAt = Date.now();
    const commit = repository.commit({ [file]: compose('two') });
    // The poll (every 1 s) brings it; how soon is the machine's to say, not a test's.
    await greetingRunning('two', 60_000);
    await eventually(async () => {
      expect(await gitStatus()).toMatchObject({ commit, lastFetchedCommit: commit, summary: `running ${commit.slice(0, 7)}` });
      expect((await controller!.projectStatus(projectName)).commit).toBe(commit);
      expect(metricValue(await controller!.metrics(), 'composelet_git_commit_info', { commit })).toBe(1);
    });
    expect(metricValue(await controller!.metrics(), 'composelet_git_last_fetch_success_timestamp_seconds')).toBeGreaterThan(pushedAt / 1000 - 1);
    const audit = readFileSync(`${join(base, 'run')}.audit.log`, 'utf8');
    expect(audit).toContain(`"manifestCommit":"${commit}"`);
  });

  it('a broken commit must be quarantined with the last good one running, and a fix after it applied', async () => {
    const good = (await gitStatus()).commit!;
    const runningId = await greetingRunning('two', 5_000);
    const broken = repository.commit({ [file]: compose('three').replace('image: composelet', 'image: [composelet') });
    const status = await eventually(
      async () => {
        const git = await gitStatus();
        expect(git.quarantined.map((entry) => entry.commit)).toContain(broken);
        return git;
      },
      { timeoutMs: 10_000, message: 'the broken commit quarantined' },
    );
    expect(status.commit).toBe(good);
    expect(status.summary).toMatch(new RegExp(`^running ${good.slice(0, 7)}, commit ${broken.slice(0, 7)} rejected: stacks/${projectName}/compose.yaml:\\d+:\\d+: invalid YAML`));
    expect(metricValue(await controller!.metrics(), 'composelet_git_commit_quarantined', { commit: broken })).toBe(1);
    expect(readFileSync(`${join(base, 'run')}.audit.log`, 'utf8')).toMatch(new RegExp(`"action":"quarantine-commit".*"manifestCommit":"${broken}"`));
    // polls after the quarantine never retry it; what runs is untouched
    const fetchedAt = status.lastFetchSuccessAt;
    await eventually(async () => expect((await gitStatus()).lastFetchSuccessAt).not.toBe(fetchedAt), { timeoutMs: 5_000 });
    expect((await inspectProject(engine, projectName))['api']!.Id).toBe(runningId);
    expect(controller!.logs().filter((line) => line.msg.startsWith(`commit ${broken.slice(0, 7)} quarantined`))).toHaveLength(1);

    const fix = repository.commit({ [file]: compose('three') });
    await greetingRunning('three', 10_000);
    await eventually(async () => expect((await gitStatus()).summary).toBe(`running ${fix.slice(0, 7)}`));
  });

  it('the server going away must change nothing that runs, and its return must bring the next commit', async () => {
    const runningId = await greetingRunning('three', 5_000);
    const port = server.port;
    await server.stop();
    const next = repository.commit({ [file]: compose('four') });
    await eventually(
      async () => {
        const git = await gitStatus();
        expect(git.consecutiveFetchFailures).toBeGreaterThanOrEqual(2);
        expect(git.summary).toMatch(/fetch failing/);
        expect(metricValue(await controller!.metrics(), 'composelet_git_fetch_failures_total')).toBeGreaterThanOrEqual(2);
      },
      { timeoutMs: 10_000, message: 'fetch failures reported' },
    );
    expect(controller!.isRunning()).toBe(true);
    expect((await controller!.get('/healthz')).status).toBe(200);
    expect((await inspectProject(engine, projectName))['api']!.Id).toBe(runningId);

    server = await startGitHttpServer({ baseDirectory: repository.baseDirectory, token: TOKEN, port });
    await greetingRunning('four', 20_000);
    await eventually(async () => expect(await gitStatus()).toMatchObject({ commit: next, lastFetchError: null }));
  });

  it('every git metric the shipped dashboard and alert rules name must be served on the live /metrics', async () => {
    const served = exposedMetricNames(await controller!.metrics());
    const used = [
      ...dashboardExpressions(readFileSync(`${DEPLOY}/grafana/composelet-dashboard.json`, 'utf8')),
      ...ruleExpressions(readFileSync(`${DEPLOY}/prometheus/composelet.rules.yml`, 'utf8')),
    ].flatMap(metricNamesInExpression).filter((name) => name.startsWith('composelet_git_'));
    expect(new Set(used).size).toBeGreaterThanOrEqual(6);
    expect([...new Set(used)].filter((name) => !served.has(name))).toEqual([]);
  });

  it('the token must appear in no log line, status, metrics or audit entry', async () => {
    const outputs = [
      controller!.logTail(Number.MAX_SAFE_INTEGER),
      JSON.stringify(await controller!.status()),
      await controller!.metrics(),
      readFileSync(`${join(base, 'run')}.audit.log`, 'utf8'),
    ];
    for (const output of outputs) expect(output).not.toContain(TOKEN);
  });
});
