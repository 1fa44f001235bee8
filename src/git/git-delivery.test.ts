import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../../test/support/git-servers/repository.js';
import type { ControllerEvent } from '../notify/events.js';
import { createGitDelivery, type GitDeliveryOptions } from './git-delivery.js';

// Git delivery against a local repository (its path as URL): what is put in force, what is quarantined,
// what survives a restart, and how failed fetches back off.

const GOOD = (greeting: string) => `services:\n  web:\n    image: composelet/busybox:1\n    environment:\n      GREETING: ${greeting}\n`;
const BROKEN = 'services:\n  web:\n    image: [composelet/busybox:1\n';
const logger = pino({ level: 'silent' });
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

describe('git delivery', () => {
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
    await expect.poll(() => delays.length).toBe(6);
    expect(delays).toEqual([1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
    expect(delivery.commitInForce()).toBe(inForce);
    expect(existsSync(delivery.manifestsRoot)).toBe(true);
    expect(delivery.status()).toMatchObject({ consecutiveFetchFailures: 6, lastFetchError: expect.stringMatching(/^git fetch failed: /) });
    expect(delivery.status().summary).toMatch(/fetch failing \(6 in a row\)/);
    void release;
    await delivery.stop();
  });
});
