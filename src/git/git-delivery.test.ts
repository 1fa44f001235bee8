import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../../test/support/git-servers/repository.js';
import type { ControllerEvent } from '../notify/events.js';
import { loadProject } from '../desired-state/load-project.js';
import { projectSourceOf } from '../controller/project-keys.js';
import { createGitDelivery, type GitDelivery, type GitDeliveryOptions } from './git-delivery.js';
import { parseDeployWindow } from './deploy-window.js';

// Git delivery against a local repository (its path as URL): what is put in force, what is quarantined,
// what survives a restart, and how failed fetches back off.

const GOOD = (greeting: string) => `services:\n  web:\n    image: composelet/busybox:1\n    environment:\n      GREETING: ${greeting}\n`;
const BROKEN = 'services:\n  web:\n    image: [composelet/busybox:1\n';
const TWO = (api: string, worker: string) =>
  `services:\n  api:\n    image: composelet/busybox:1\n    environment: { V: ${api} }\n  worker:\n    image: composelet/busybox:1\n    environment: { V: ${worker} }\n`;
const logger = pino({ level: 'silent' });

/** The spec hash the controller computes for a service of the commit in force. */
function specHashInForce(delivery: GitDelivery, project: string, service: string): string {
  const result = loadProject(projectSourceOf(delivery.manifestsRoot, project)!, { environment: {}, homeDir: '/root' });
  if (!result.ok) throw new Error('fixture does not load');
  return result.project.services[service]!.specHash;
}
const failure = (specHash: string, reason: string) => ({ specHash, previousSpecHash: null, reason, at: '2026-01-01T00:00:00.000Z' });
const repositories: TestRepository[] = [];

function setUp(overrides: Partial<GitDeliveryOptions> = {}) {
  const repository = createTestRepository();
  repositories.push(repository);
  const stateDir = mkdtempSync(join(tmpdir(), 'composelet-delivery-'));
  const make = (more: Partial<GitDeliveryOptions> = {}) =>
    createGitDelivery({
      config: { url: repository.bareRepository, branch: 'main', gitPath: 'stacks', pollMs: 60_000, credentials: {}, webhookSecretFile: null },
      stateDir,
      logger,
      environment: {},
      homeDir: '/root',
      ...overrides,
      ...more,
    });
  return { repository, stateDir, make };
}

const switches: number[] = [];
const context = () => ({ registry: new Registry(), onSwitched: () => switches.push(1) });

afterEach(() => {
  for (const repository of repositories.splice(0)) repository.remove();
  switches.splice(0);
});

describe('git delivery', { timeout: 30_000 }, () => {
  it('the first good commit must be put in force behind the current symlink', async () => {
    const { repository, make } = setUp();
    const first = repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') });
    const delivery = make();
    expect(await delivery.prepare(new AbortController().signal)).toBe(true);
    expect(delivery.commitInForce()).toBe(first);
    expect(readFileSync(join(delivery.manifestsRoot, 'shop/compose.yaml'), 'utf8')).toBe(GOOD('one'));
    expect(realpathSync(delivery.manifestsRoot)).toContain(`/git/checkouts/${first}/stacks`);
    expect(delivery.status()).toMatchObject({ commit: first, lastFetchedCommit: first, lastFetchError: null, quarantined: [] });
  });

  it('a broken commit must be quarantined, keep the last good one in force, and a later fix must be applied', async () => {
    const { repository, stateDir, make } = setUp();
    const good = repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') });
    const delivery = make();
    await delivery.prepare(new AbortController().signal);
    delivery.start(context());
    const broken = repository.commit({ 'stacks/shop/compose.yaml': BROKEN });
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(good);
    expect(switches).toEqual([]);
    const status = delivery.status();
    expect(status.quarantined).toEqual([expect.objectContaining({ commit: broken, reason: expect.stringMatching(/^stacks\/shop\/compose\.yaml:\d+:\d+: invalid YAML/) })]);
    expect(status.summary).toMatch(new RegExp(`^running ${good.slice(0, 7)}, commit ${broken.slice(0, 7)} rejected: stacks/shop/compose.yaml:\\d+`));
    expect(readdirSync(join(stateDir, 'git/checkouts'))).toEqual([good]);
    await delivery.stop();

    // A restarted controller must remember the quarantine and never check the commit out again.
    const restarted = make();
    await restarted.prepare(new AbortController().signal);
    restarted.start(context());
    await restarted.requestSync();
    expect(restarted.commitInForce()).toBe(good);
    expect(restarted.status().quarantined.map((entry) => entry.commit)).toEqual([broken]);
    expect(readdirSync(join(stateDir, 'git/checkouts'))).toEqual([good]);

    const fixed = repository.commit({ 'stacks/shop/compose.yaml': GOOD('two') });
    await restarted.requestSync();
    expect(restarted.commitInForce()).toBe(fixed);
    expect(switches).toEqual([1]);
    expect(readFileSync(join(restarted.manifestsRoot, 'shop/compose.yaml'), 'utf8')).toBe(GOOD('two'));
    expect(restarted.status().summary).toBe(`running ${fixed.slice(0, 7)}`);
    // the current checkout and the last good one before it are kept, no more
    repository.commit({ 'stacks/shop/compose.yaml': GOOD('three') });
    await restarted.requestSync();
    expect(readdirSync(join(stateDir, 'git/checkouts')).sort()).toEqual([fixed, restarted.commitInForce()!].sort());
    await restarted.stop();
  });

  it('a quarantined commit must be notified once, with its reason and the commit that stays in force', async () => {
    const { repository, make } = setUp();
    const good = repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') });
    const delivery = make();
    await delivery.prepare(new AbortController().signal);
    const events: ControllerEvent[] = [];
    delivery.start({ ...context(), notify: (event) => events.push(event) });
    const broken = repository.commit({ 'stacks/shop/compose.yaml': BROKEN });
    await delivery.requestSync();
    await delivery.requestSync();
    expect(events).toEqual([{ kind: 'commit-quarantined', commit: broken, reason: expect.stringMatching(/^stacks\/shop\/compose\.yaml:\d+:\d+: invalid YAML/), inForce: good, projects: ['shop'] }]);
    await delivery.stop();
  });

  it('a commit quarantined before the controller started must be notified once it starts', async () => {
    const { repository, make } = setUp();
    const broken = repository.commit({ 'stacks/shop/compose.yaml': BROKEN });
    const delivery = make({ delay: async () => void repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') }) });
    await delivery.prepare(new AbortController().signal);
    const events: ControllerEvent[] = [];
    delivery.start({ ...context(), notify: (event) => events.push(event) });
    expect(events).toEqual([expect.objectContaining({ kind: 'commit-quarantined', commit: broken, inForce: null })]);
    await delivery.stop();
  });

  it('a commit blocked by a policy error must be quarantined', async () => {
    const { repository, make } = setUp();
    const good = repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') });
    const delivery = make();
    await delivery.prepare(new AbortController().signal);
    const privileged = `x-composelet:\n  policy:\n    rules: { no-privileged: error }\n${GOOD('one')}    privileged: true\n`;
    const blocked = repository.commit({ 'stacks/shop/compose.yaml': privileged });
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(good);
    expect(delivery.status().quarantined[0]).toMatchObject({ commit: blocked, reason: expect.stringMatching(/no-privileged/) });
  });

  it('quarantineCommit of the commit in force must put the last good one back', async () => {
    const { repository, make } = setUp();
    const first = repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') });
    const delivery = make();
    await delivery.prepare(new AbortController().signal);
    const notified: ControllerEvent[] = [];
    delivery.start({ ...context(), notify: (event) => notified.push(event) });
    const second = repository.commit({ 'stacks/shop/compose.yaml': GOOD('two') });
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(second);
    await delivery.quarantineCommit(second, 'rollout failed: web unhealthy');
    expect(delivery.commitInForce()).toBe(first);
    expect(notified).toEqual([{ kind: 'commit-quarantined', commit: second, reason: 'rollout failed: web unhealthy', inForce: first, projects: [] }]);
    expect(switches).toEqual([1, 1]);
    expect(delivery.status().summary).toBe(`running ${first.slice(0, 7)}, commit ${second.slice(0, 7)} rejected: rollout failed: web unhealthy`);
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(first);
    await delivery.stop();
  });

  it('failed fetches must keep the commit in force and back off exponentially up to the cap', async () => {
    const { repository, make } = setUp();
    repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') });
    const delays: number[] = [];
    let release: (() => void) | null = null;
    const delivery = make({
      backoff: { baseMs: 1_000, capMs: 4_000 },
      delay: (delayMs, signal) =>
        new Promise<void>((resolve, reject) => {
          delays.push(delayMs);
          if (delays.length < 6) return resolve();
          release = resolve;
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    });
    await delivery.prepare(new AbortController().signal);
    const inForce = delivery.commitInForce();
    repository.remove();
    delivery.start(context());
    // Six real `git fetch` runs against a removed repository: seconds on a loaded machine, not the default 1 s.
    await expect.poll(() => delays.length, { timeout: 30_000 }).toBe(6);
    expect(delays).toEqual([1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
    expect(delivery.commitInForce()).toBe(inForce);
    expect(existsSync(delivery.manifestsRoot)).toBe(true);
    expect(delivery.status()).toMatchObject({ consecutiveFetchFailures: 6, lastFetchError: expect.stringMatching(/^git fetch failed: /) });
    expect(delivery.status().summary).toMatch(/fetch failing \(6 in a row\)/);
    void release;
    await delivery.stop();
  });

  it('a failed rollout must quarantine the commit in force only for a service it changed, to the spec it brought, and put the last good one back', async () => {
    const { repository, make } = setUp();
    const first = repository.commit({ 'stacks/shop/compose.yaml': TWO('1', '1'), 'stacks/blog/compose.yaml': GOOD('one') });
    const delivery = make();
    await delivery.prepare(new AbortController().signal);
    const notified: ControllerEvent[] = [];
    delivery.start({ ...context(), notify: (event) => notified.push(event) });
    const second = repository.commit({ 'stacks/shop/compose.yaml': TWO('2', '1') });
    await delivery.requestSync();
    const apiHash = specHashInForce(delivery, 'shop', 'api');
    const workerHash = specHashInForce(delivery, 'shop', 'worker');

    // not to blame: a service the commit did not change, a spec it did not bring, another project
    await delivery.rolloutsFailed('shop', { worker: failure(workerHash, 'rolled back worker: exited (1)') });
    await delivery.rolloutsFailed('shop', { api: failure('another-hash', 'rolled back api: exited (1)') });
    await delivery.rolloutsFailed('blog', { web: failure(specHashInForce(delivery, 'blog', 'web'), 'rolled back web: exited (1)') });
    expect(delivery.commitInForce()).toBe(second);
    expect(delivery.status().quarantined).toEqual([]);

    await delivery.rolloutsFailed('shop', { api: failure(apiHash, 'rolled back api: new container exited (1) after 0.2 s') });
    expect(delivery.commitInForce()).toBe(first);
    expect(delivery.status().summary).toBe(`running ${first.slice(0, 7)}, commit ${second.slice(0, 7)} rejected: rollout of api failed: new container exited (1) after 0.2 s`);
    expect(notified).toEqual([{ kind: 'commit-quarantined', commit: second, reason: 'rollout of api failed: new container exited (1) after 0.2 s', inForce: first, projects: ['shop'] }]);
    // level-triggered: the same failure seen again at the next reconcile changes nothing more
    await delivery.rolloutsFailed('shop', { api: failure(apiHash, 'rolled back api: new container exited (1) after 0.2 s') });
    expect(notified).toHaveLength(1);
    expect(switches).toEqual([1, 1]);
    await delivery.stop();

    // a restart remembers: the put-back commit changed nothing, so the old api failure blames nothing
    const restarted = make();
    await restarted.prepare(new AbortController().signal);
    restarted.start(context());
    await restarted.rolloutsFailed('shop', { worker: failure(workerHash, 'rolled back worker: exited (1)') });
    expect(restarted.commitInForce()).toBe(first);
    await restarted.requestSync();
    expect(restarted.commitInForce()).toBe(first);
    await restarted.stop();
  });

  it('a failure of a service a long-good commit did not change must not quarantine it', async () => {
    const { repository, make } = setUp();
    repository.commit({ 'stacks/shop/compose.yaml': TWO('1', '1') });
    const delivery = make();
    await delivery.prepare(new AbortController().signal);
    delivery.start(context());
    const second = repository.commit({ 'stacks/shop/compose.yaml': TWO('2', '1') });
    await delivery.requestSync();
    // later, worker's spec changes outside git (e.g. its --secrets-dir file) and that rollout fails
    await delivery.rolloutsFailed('shop', { worker: failure('outside-git', 'rolled back worker: exited (1)') });
    expect(delivery.commitInForce()).toBe(second);
    expect(delivery.status().quarantined).toEqual([]);
    await delivery.stop();
  });

  it('with --require-signed-commits, an unsigned commit and one signed by an unknown key must be quarantined, one signed by an allowed key applied', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'composelet-signers-'));
    const keygen = (name: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(keys, name)]);
    keygen('ops');
    keygen('stranger');
    const allowedSigners = join(keys, 'allowed_signers');
    writeFileSync(allowedSigners, `ops@example.invalid ${readFileSync(join(keys, 'ops.pub'), 'utf8')}`);
    const { repository, make } = setUp();
    const first = repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') }, 'signed', { signingKey: join(keys, 'ops') });
    const delivery = make({ config: { url: repository.bareRepository, branch: 'main', gitPath: 'stacks', pollMs: 60_000, credentials: {}, webhookSecretFile: null, allowedSignersFile: allowedSigners } });
    await delivery.prepare(new AbortController().signal);
    expect(delivery.commitInForce()).toBe(first);
    delivery.start(context());

    const unsigned = repository.commit({ 'stacks/shop/compose.yaml': GOOD('two') });
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(first);
    expect(delivery.status().quarantined[0]).toMatchObject({ commit: unsigned, reason: `commit ${unsigned.slice(0, 7)} is not signed (--require-signed-commits)` });

    const stranger = repository.commit({ 'stacks/shop/compose.yaml': GOOD('three') }, 'stranger', { signingKey: join(keys, 'stranger') });
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(first);
    expect(delivery.status().summary).toBe(`running ${first.slice(0, 7)}, commit ${stranger.slice(0, 7)} rejected: commit ${stranger.slice(0, 7)} is signed by a key not in the allowed signers file (--require-signed-commits)`);

    const signed = repository.commit({ 'stacks/shop/compose.yaml': GOOD('four') }, 'signed again', { signingKey: join(keys, 'ops') });
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(signed);
    // the keys are in no status
    expect(JSON.stringify(delivery.status())).not.toContain(readFileSync(join(keys, 'ops.pub'), 'utf8').split(' ')[1]);
    await delivery.stop();
  });

  it('outside every --deploy-window a new commit must wait, and be put in force at the first fetch inside one', async () => {
    const { repository, make } = setUp();
    const first = repository.commit({ 'stacks/shop/compose.yaml': GOOD('one') });
    let clock = Date.parse('2026-01-17T12:00:00Z'); // a Saturday
    const window = parseDeployWindow('Mon-Fri 06:00-20:00 Europe/Berlin');
    const delivery = make({ now: () => clock, config: { url: repository.bareRepository, branch: 'main', gitPath: 'stacks', pollMs: 60_000, credentials: {}, webhookSecretFile: null, deployWindows: [window] } });
    // the first commit: nothing runs yet, it goes in force at once
    await delivery.prepare(new AbortController().signal);
    expect(delivery.commitInForce()).toBe(first);
    delivery.start(context());
    const second = repository.commit({ 'stacks/shop/compose.yaml': GOOD('two') });
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(first);
    expect(delivery.status().summary).toBe(`running ${first.slice(0, 7)}, commit ${second.slice(0, 7)} waits for a deploy window (Mon-Fri 06:00-20:00 Europe/Berlin)`);
    expect(switches).toEqual([]);
    clock = Date.parse('2026-01-19T05:30:00Z'); // Monday 06:30 in Berlin
    await delivery.requestSync();
    expect(delivery.commitInForce()).toBe(second);
    expect(delivery.status().summary).toBe(`running ${second.slice(0, 7)}`);
    await delivery.stop();
  });
});
