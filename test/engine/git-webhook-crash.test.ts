import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inspectProject } from '../support/converge-fixture.js';
import { killAllControllers, metricValue, printLogsIfFailed, startControllerProcess, waitUntilConverged, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startGitDaemon, type GitDaemon } from '../support/git-servers/git-daemon.js';
import { createTestRepository, type TestRepository } from '../support/git-servers/repository.js';

// `composelet run --git git://… --poll 0 --webhook-secret-file F`: only a signed push webhook fetches; a
// forged one is 401 and changes nothing. A SIGKILL in the middle of the checkout switch leaves `current`
// on a whole checkout, and the next controller finishes the switch.

const engine = testEngine();
const projectName = uniqueProjectName('git-hook');
const SECRET = 'whsec-1c5e9a7b3d2f';
const compose = (greeting: string) =>
  // The rollout's monitor is not what these tests are about: a new spec proves itself at once.
  `x-composelet:\n  rollout: { monitor: 0s }\nservices:\n  api:\n    image: composelet/busybox:1\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n    environment:\n      GREETING: ${greeting}\n`;
const file = `${projectName}/compose.yaml`;
let repository: TestRepository;
let daemon: GitDaemon;
let controller: ControllerProcess | undefined;
let base = '';
let args: string[] = [];

async function greetingRunning(greeting: string, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      const api = (await inspectProject(engine, projectName))['api'];
      expect(api?.Config.Env).toContain(`GREETING=${greeting}`);
      expect(api?.State.Running).toBe(true);
    },
    { timeoutMs, intervalMs: 100, message: `api running with GREETING=${greeting}` },
  );
}

function postHook(body: string, signature: string): Promise<Response> {
  return fetch(`http://${controller!.metricsAddress}/hooks/git`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature },
    body,
  });
}

const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('composelet run --git with webhooks only', () => {
  beforeAll(async () => {
    repository = createTestRepository();
    repository.commit({ [file]: compose('one') });
    daemon = await startGitDaemon(repository.baseDirectory);
    base = mkdtempSync(join(tmpdir(), 'composelet-git-hook-'));
    const secretFile = join(base, 'hook-secret');
    writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
    args = ['--git', daemon.url('origin.git'), '--poll', '0', '--webhook-secret-file', secretFile];
    controller = await startControllerProcess({ root: join(base, 'run'), rootArgument: false, extraArgs: args });
    await waitUntilConverged(controller, projectName);
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    await daemon?.stop();
    await removeProjectObjects(engine, projectName);
    repository?.remove();
  });

  it('a forged signature must be refused with 401 and change nothing; a signed push must be applied (polling is off: only the webhook can bring it)', async () => {
    const commit = repository.commit({ [file]: compose('two') });
    const body = JSON.stringify({ ref: 'refs/heads/main', after: commit });
    const forged = await postHook(body, sign(body, 'not-the-secret'));
    expect(forged.status).toBe(401);
    expect(metricValue(await controller!.metrics(), 'composelet_git_webhook_requests_total', { result: 'bad_signature' })).toBe(1);
    const status = (await controller!.status()) as unknown as { git: { lastFetchedCommit: string } };
    expect(status.git.lastFetchedCommit).not.toBe(commit);

    expect((await postHook(body, sign(body, SECRET))).status).toBe(202);
    // No time limit asserted (a shared machine decides that): with --poll 0 nothing but this hook fetches.
    await greetingRunning('two', 60_000);
    expect(controller!.logTail(Number.MAX_SAFE_INTEGER)).not.toContain(SECRET);
  });

  it('a kill -9 in the middle of the switch must leave current on a whole checkout, and a restart must finish it', async () => {
    await controller!.terminate();
    const inForce = readlinkSync(join(`${join(base, 'run')}.state`, 'git/current'));
    const commit = repository.commit({ [file]: compose('three') });
    controller = await startControllerProcess({
      root: join(base, 'run'),
      rootArgument: false,
      extraArgs: args,
      env: { COMPOSELET_CRASH_AT: 'git-switch:1' },
    });
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    await postHook(body, sign(body, SECRET));
    const exit = await controller.exited;
    expect(exit.signal).toBe('SIGKILL');
    const gitState = join(`${join(base, 'run')}.state`, 'git');
    // current still names the old, whole checkout; the new one is whole beside it
    expect(readlinkSync(join(gitState, 'current'))).toBe(inForce);
    expect(readFileSync(join(gitState, 'current', file), 'utf8')).toBe(compose('two'));
    expect(readFileSync(join(gitState, 'checkouts', commit, file), 'utf8')).toBe(compose('three'));
    await greetingRunning('two', 1_000);

    controller = await startControllerProcess({ root: join(base, 'run'), rootArgument: false, extraArgs: args });
    await postHook(body, sign(body, SECRET));
    await greetingRunning('three', 60_000);
    expect(readlinkSync(join(gitState, 'current'))).toBe(`checkouts/${commit}`);
    expect(readdirSync(gitState).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
    expect(existsSync(join(gitState, 'checkouts', commit, '.git'))).toBe(true);
  });
});
