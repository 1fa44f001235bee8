import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitDaemon, type GitDaemon } from '../support/git-servers/git-daemon.js';
import { startGitHttpServer, type GitHttpServer } from '../support/git-servers/http-backend.js';
import { createTestRepository, type TestRepository } from '../support/git-servers/repository.js';
import { startSshServer, type SshServer } from '../support/git-servers/sshd.js';
import { createGitDelivery } from '../../src/git/git-delivery.js';
import type { GitDeliveryConfig } from '../../src/git/git-options.js';

// The three transports against real servers on loopback (git daemon, git http-backend behind a token,
// Debian's sshd with a throwaway key): the commit arrives, wrong credentials or a wrong host key are
// refused without the secret in the error, and no git process ever carries the secret in its argv.

const COMPOSE = 'services:\n  web:\n    image: composelet/busybox:1\n';
const TOKEN = 'tok-7f3c9e1a5b2d48c6a0e4';
let repository: TestRepository;
let daemon: GitDaemon;
let http: GitHttpServer;
let ssh: SshServer;
let commit = '';

beforeAll(async () => {
  repository = createTestRepository();
  commit = repository.commit({ 'shop/compose.yaml': COMPOSE });
  [daemon, http, ssh] = await Promise.all([
    startGitDaemon(repository.baseDirectory),
    startGitHttpServer({ baseDirectory: repository.baseDirectory, token: TOKEN }),
    startSshServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([daemon?.stop(), http?.stop(), ssh?.stop()]);
  repository?.remove();
});

function secretFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'composelet-secret-')), 'secret');
  writeFileSync(file, `${content}\n`, { mode: 0o600 });
  return file;
}

/** Every command line seen in /proc while `work` runs. */
async function commandLinesDuring<T>(work: () => Promise<T>): Promise<{ result: T; commandLines: Set<string> }> {
  const commandLines = new Set<string>();
  let done = false;
  const sampler = (async () => {
    while (!done) {
      for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        try {
          commandLines.add(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
        } catch {
          // gone already
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  try {
    return { result: await work(), commandLines };
  } finally {
    done = true;
    await sampler;
  }
}

async function deliver(config: Partial<GitDeliveryConfig> & { url: string }) {
  const delivery = createGitDelivery({
    config: { branch: 'main', gitPath: '.', pollMs: 60_000, credentials: {}, webhookSecretFile: null, ...config },
    stateDir: mkdtempSync(join(tmpdir(), 'composelet-transport-')),
    logger: pino({ level: 'silent' }),
    environment: {},
    homeDir: '/root',
  });
  await delivery.requestSync();
  return delivery;
}

describe('fetching over each transport', () => {
  it('git:// (git daemon) must deliver the commit', async () => {
    const delivery = await deliver({ url: daemon.url('origin.git') });
    expect(delivery.commitInForce()).toBe(commit);
  });

  it('HTTP with --git-token-file must deliver the commit, and no process argv may hold the token', async () => {
    const tokenFile = secretFile(TOKEN);
    const { result: delivery, commandLines } = await commandLinesDuring(() => deliver({ url: http.url('origin.git'), credentials: { tokenFile } }));
    expect(delivery.status().lastFetchError).toBeNull();
    expect(delivery.commitInForce()).toBe(commit);
    expect([...commandLines].some((line) => line.startsWith('git '))).toBe(true);
    expect([...commandLines].filter((line) => line.includes(TOKEN))).toEqual([]);
  });

  it('HTTP with a wrong token must fail without the token in the error', async () => {
    const wrong = 'tok-wrong-0000000000000000';
    const delivery = await deliver({ url: http.url('origin.git'), credentials: { tokenFile: secretFile(wrong) } });
    expect(delivery.commitInForce()).toBeNull();
    expect(delivery.status().lastFetchError).toMatch(/^git fetch failed: /);
    expect(JSON.stringify(delivery.status())).not.toContain(wrong);
  });

  it('HTTP without a token must be refused', async () => {
    const delivery = await deliver({ url: http.url('origin.git') });
    expect(delivery.commitInForce()).toBeNull();
    expect(delivery.status().lastFetchError).toMatch(/fetch failed/);
  });

  it('SSH with --git-ssh-key and --git-known-hosts must deliver the commit, and no argv may hold the key', async () => {
    const keyLines = readFileSync(ssh.clientKeyFile, 'utf8').split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'));
    const { result: delivery, commandLines } = await commandLinesDuring(() =>
      deliver({ url: ssh.url(repository.bareRepository), credentials: { sshKeyFile: ssh.clientKeyFile, knownHostsFile: ssh.knownHostsFile } }),
    );
    expect(delivery.status().lastFetchError).toBeNull();
    expect(delivery.commitInForce()).toBe(commit);
    expect([...commandLines].filter((line) => keyLines.some((keyLine) => line.includes(keyLine)))).toEqual([]);
  });

  it('SSH to a host whose key is not the known one must be refused', async () => {
    const delivery = await deliver({ url: ssh.url(repository.bareRepository), credentials: { sshKeyFile: ssh.clientKeyFile, knownHostsFile: ssh.wrongKnownHostsFile } });
    expect(delivery.commitInForce()).toBeNull();
    expect(delivery.status().lastFetchError).toMatch(/host key|Host key verification failed/i);
  });
});
