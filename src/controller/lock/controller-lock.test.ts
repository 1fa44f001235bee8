import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { acquireControllerLock, ControllerLockHeldError } from './controller-lock.js';
import { controllerPaths } from './controller-identity.js';
import { LEASE_FORMAT } from './lease.js';

const identity = { root: '/srv/manifests', engine: 'unix:///var/run/docker.sock' };
const logger = pino({ level: 'silent' });
const stateDirectory = () => mkdtempSync(join(tmpdir(), 'composelet-lock-'));
const here = { pid: 4242, host: 'web-1', bootId: 'boot-a' };

describe('the controller lock', () => {
  it('a second controller on the same root and engine must be refused with the first one named', async () => {
    const stateDir = stateDirectory();
    const first = await acquireControllerLock({ stateDir, identity, standby: false, logger, contender: here });
    const second = acquireControllerLock({ stateDir, identity, standby: false, logger, contender: { ...here, pid: 5151 } });
    await expect(second).rejects.toThrow(ControllerLockHeldError);
    await expect(second).rejects.toThrow(/another controller already runs on \/srv\/manifests with engine unix:\/\/\/var\/run\/docker.sock: pid 4242 on host web-1 since/);
    await first.release();
  });

  it('another root or engine must have its own lock', async () => {
    const stateDir = stateDirectory();
    const first = await acquireControllerLock({ stateDir, identity, standby: false, logger });
    const other = await acquireControllerLock({ stateDir, identity: { ...identity, engine: 'tcp://engine:2375' }, standby: false, logger });
    await Promise.all([first.release(), other.release()]);
  });

  it('a standby must take over as soon as the holder releases the lock', async () => {
    const stateDir = stateDirectory();
    const first = await acquireControllerLock({ stateDir, identity, standby: false, logger });
    let tookOver = false;
    const messages: string[] = [];
    const standbyLogger = pino({ level: 'info' }, { write: (line: string) => messages.push(JSON.parse(line).msg) });
    const standby = acquireControllerLock({ stateDir, identity, standby: true, logger: standbyLogger, pollMs: 20, contender: { ...here, pid: 5151 } }).then((lock) => {
      tookOver = true;
      return lock;
    });
    await eventually(() => expect(messages.some((message) => message.startsWith('standing by: pid '))).toBe(true));
    expect(tookOver).toBe(false);
    await first.release();
    const second = await standby;
    expect(second.holder.pid).toBe(5151);
    await second.release();
  });

  it.each([
    ['fresh', 0, true],
    ['expired', 20_000, false],
  ])('a %s lease of a controller on another host must hold the lock: %s', async (_freshness, ageMs, held) => {
    const stateDir = stateDirectory();
    const paths = controllerPaths(stateDir, identity);
    const now = 1_000_000;
    const foreign = { format: LEASE_FORMAT, version: 1, pid: 77, host: 'web-2', bootId: 'boot-b', since: 0, heartbeatAt: now - ageMs, ...identity };
    await acquireControllerLock({ stateDir, identity, standby: false, logger }).then((lock) => lock.release());
    writeFileSync(paths.lease, JSON.stringify(foreign));
    const attempt = acquireControllerLock({ stateDir, identity, standby: false, logger, now: () => now, contender: here });
    if (held) await expect(attempt).rejects.toThrow('pid 77 on host web-2');
    else await (await attempt).release();
  });

  it('a holder must learn that it lost the lease when another host took it over', async () => {
    const stateDir = stateDirectory();
    const lock = await acquireControllerLock({ stateDir, identity, standby: false, logger, heartbeatMs: 20 });
    writeFileSync(controllerPaths(stateDir, identity).lease, JSON.stringify({ ...lock.holder, host: 'web-2', bootId: 'boot-b' }));
    await expect(lock.lost).resolves.toMatch(/now names pid \d+ on host web-2/);
    await lock.release();
  });

  it('a released lock must leave no lease behind for a standby on another host to wait out', async () => {
    const stateDir = stateDirectory();
    const lock = await acquireControllerLock({ stateDir, identity, standby: false, logger });
    await lock.release();
    expect(existsSync(controllerPaths(stateDir, identity).lease)).toBe(false);
  });
});
