import { describe, expect, it } from 'vitest';
import { describeHolder, isOwnLease, leaseVerdict, LEASE_FORMAT, type LeaseRecord } from './lease.js';

const record = (fields: Partial<LeaseRecord> = {}): LeaseRecord => ({
  format: LEASE_FORMAT,
  version: 1,
  pid: 100,
  host: 'web-1',
  bootId: 'boot-a',
  since: 1_000,
  heartbeatAt: 50_000,
  root: '/srv/manifests',
  engine: 'unix:///var/run/docker.sock',
  ...fields,
});
const contender = { pid: 200, host: 'web-1', bootId: 'boot-a' };

describe('the controller lease', () => {
  it.each([
    ['no record', null, 55_000, true],
    ['a record from this kernel (the flock was free, so its holder is gone)', record(), 50_001, true],
    ['a fresh record from another host', record({ host: 'web-2', bootId: 'boot-b' }), 55_000, false],
    ['a record from another host whose heartbeat is exactly expiry old', record({ host: 'web-2', bootId: 'boot-b' }), 60_000, true],
    ['a stale record from another host', record({ host: 'web-2', bootId: 'boot-b' }), 90_000, true],
    ['a record from another kernel with the same host name (a rebooted host)', record({ bootId: 'boot-old' }), 55_000, false],
    ['a record whose heartbeat is ahead of this clock (skew)', record({ host: 'web-2', bootId: 'boot-b', heartbeatAt: 70_000 }), 55_000, false],
  ])('%s must leave the lock free: %s', (_case, lease, now, free) => {
    expect(leaseVerdict(lease, contender, { now, expiryMs: 10_000 }).free).toBe(free);
  });

  it('a held lease must say when it expires', () => {
    expect(leaseVerdict(record({ host: 'web-2', bootId: 'boot-b' }), contender, { now: 53_000, expiryMs: 10_000 })).toMatchObject({
      free: false,
      expiresInMs: 7_000,
    });
  });

  it.each([
    ['the same holder renewing', record({ heartbeatAt: 99_000 }), true],
    ['a holder on another host', record({ host: 'web-2' }), false],
    ['a later holder with the same pid', record({ since: 2_000 }), false],
    ['no record (removed)', null, false],
  ])('%s must be recognised as own: %s', (_case, current, own) => {
    expect(isOwnLease(current, record())).toBe(own);
  });

  it.each([
    [record(), 'pid 100 on host web-1 since 1970-01-01T00:00:01.000Z'],
    [null, 'a process whose pid and host are not recorded (yet)'],
  ])('the holder must be named: %j', (lease, text) => {
    expect(describeHolder(lease)).toBe(text);
  });
});
