import { describe, expect, it } from 'vitest';
import type { Limits, PortBinding } from '../../desired-state/model.js';
import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';
import { backoffText, formatLimits, formatPort, healthOf } from './service-rows.js';

const NO_LIMITS: Limits = { memoryBytes: null, memoryReservationBytes: null, memswapBytes: null, nanoCpus: null, cpuShares: null, pidsLimit: null };

describe('overview cells', () => {
  it.each([
    [{ hostIp: '127.0.0.1', hostPort: 18080, containerPort: 8080, protocol: 'tcp' }, '127.0.0.1:18080->8080/tcp'],
    [{ hostIp: '', hostPort: 53, containerPort: 53, protocol: 'udp' }, ':53->53/udp'],
    [{ hostIp: '127.0.0.1', hostPort: null, containerPort: 80, protocol: 'tcp' }, '127.0.0.1:?->80/tcp'],
    [{ hostIp: '', hostPort: 6005, hostPortEnd: 6015, containerPort: 80, protocol: 'tcp' }, ':6005-6015->80/tcp'],
  ])('port %j reads %s', (port, text) => {
    expect(formatPort(port as PortBinding)).toBe(text);
  });

  it.each([
    [NO_LIMITS, '-'],
    [{ ...NO_LIMITS, memoryBytes: 128 * 1024 * 1024, nanoCpus: 500_000_000, pidsLimit: 100 }, 'mem 128 MiB, cpus 0.5, pids 100'],
    [{ ...NO_LIMITS, memoryBytes: 2 * 1024 ** 3 }, 'mem 2 GiB'],
    [{ ...NO_LIMITS, nanoCpus: 250_000_000 }, 'cpus 0.25'],
  ])('limits %j read %s', (limits, text) => {
    expect(formatLimits(limits)).toBe(text);
  });

  it.each([
    [[], '-'],
    [[null], '-'],
    [['healthy', 'starting'], 'starting'],
    [['healthy', 'unhealthy', 'starting'], 'unhealthy'],
    [['healthy'], 'healthy'],
  ] as const)('health of %j is %s', (healths, text) => {
    expect(healthOf(healths.map((health) => ({ health }) as ObservedContainer))).toBe(text);
  });

  it.each([
    [undefined, '-'],
    [{ crashLooping: false, backoffSeconds: 0 }, '-'],
    [{ crashLooping: false, backoffSeconds: 10 }, '10s'],
    [{ crashLooping: true, backoffSeconds: 40 }, 'crash-looping, 40s'],
  ])('backoff %j reads %s', (healing, text) => {
    expect(backoffText(healing)).toBe(text);
  });
});
