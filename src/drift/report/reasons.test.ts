import { describe, expect, it } from 'vitest';
import type { FieldDifference } from '../compare/compare.js';
import { describeDifference, formatBytes } from './reasons.js';

// Every difference gets a reason in words, desired first, then live.

describe('reasons', () => {
  it.each<[FieldDifference, string]>([
    [{ path: '/environment/LOG_LEVEL', op: 'replace', desired: 'info', live: 'debug' }, 'env LOG_LEVEL changed: info -> debug'],
    [{ path: '/environment/LOG_LEVEL', op: 'add', desired: null, live: 'debug' }, 'env LOG_LEVEL is set on the container but not in the manifests: debug'],
    [{ path: '/environment/LOG_LEVEL', op: 'remove', desired: 'info', live: null }, 'env LOG_LEVEL is missing from the container (wanted: info)'],
    [
      { path: '/environment/DB_PASSWORD', op: 'replace', desired: '<redacted:11111111>', live: '<redacted:22222222>' },
      'env DB_PASSWORD changed: <redacted:11111111> -> <redacted:22222222>',
    ],
    [{ path: '/limits/memoryBytes', op: 'replace', desired: 134_217_728, live: 268_435_456 }, 'memory limit changed out of band: 128MiB -> 256MiB'],
    [{ path: '/limits/memoryBytes', op: 'replace', desired: 134_217_728, live: null }, 'memory limit changed out of band: 128MiB -> none'],
    [{ path: '/limits/nanoCpus', op: 'replace', desired: 500_000_000, live: 1_000_000_000 }, 'cpu limit changed out of band: 0.5 cpus -> 1 cpus'],
    [{ path: '/limits/pidsLimit', op: 'replace', desired: 100, live: 200 }, 'pids limit changed out of band: 100 -> 200'],
    [
      { path: '/limits/restart', op: 'replace', desired: { name: 'on-failure', maximumRetryCount: 3 }, live: { name: 'no', maximumRetryCount: 0 } },
      'restart policy changed out of band: on-failure:3 -> no',
    ],
    [{ path: '/networks/p_backend', op: 'remove', desired: { aliases: ['api'] }, live: null }, 'not connected to network p_backend'],
    [{ path: '/networks/bridge', op: 'add', desired: null, live: { aliases: [] } }, 'connected to network bridge, which the manifests do not name for it'],
    [{ path: '/networks/p_front/aliases', op: 'replace', desired: ['api', 'web'], live: ['api'] }, 'aliases on network p_front changed: [api, web] -> [api]'],
    [
      { path: '/mounts/~1data', op: 'replace', desired: { type: 'volume', source: 'p_data', readOnly: false }, live: { type: 'bind', source: '/tmp/x', readOnly: true } },
      'mount at /data changed: volume p_data -> bind /tmp/x (read-only)',
    ],
    [{ path: '/mounts/~1cache', op: 'remove', desired: { type: 'volume', source: 'p_cache', readOnly: false }, live: null }, 'mount at /cache is missing from the container (wanted: volume p_cache)'],
    [{ path: '/ports/8080~1tcp', op: 'replace', desired: ['127.0.0.1:8080'], live: ['0.0.0.0:8080'] }, 'published port 8080/tcp changed: [127.0.0.1:8080] -> [0.0.0.0:8080]'],
    [{ path: '/capAdd', op: 'replace', desired: [], live: ['SYS_ADMIN'] }, 'cap_add changed: [] -> [SYS_ADMIN]'],
    [{ path: '/privileged', op: 'replace', desired: false, live: true }, 'privileged changed: false -> true'],
    [{ path: '/user', op: 'replace', desired: '65534', live: '' }, 'user changed: 65534 -> ""'],
    [{ path: '/labels/com.example~1team', op: 'add', desired: null, live: 'x' }, 'label com.example/team is set on the container but not in the manifests: x'],
    [{ path: '/command', op: 'replace', desired: ['x'.repeat(80)], live: ['y'] }, 'command changed'],
    [
      { path: '/imageId', op: 'replace', desired: `sha256:${'a'.repeat(64)}`, live: `sha256:${'b'.repeat(64)}` },
      'runs image sha256:bbbbbbbbbbbb, not sha256:aaaaaaaaaaaa that its tag names now (rebuilt or pulled since)',
    ],
  ])('%j must read: %s', (difference, reason) => {
    expect(describeDifference(difference)).toBe(reason);
  });

  it.each([
    [268_435_456, '256MiB'],
    [2 ** 30, '1GiB'],
    [1536 * 2 ** 20, '1536MiB'],
    [6 * 2 ** 10, '6KiB'],
    [1000, '1000B'],
    [-1, '-1'],
  ])('%d bytes must read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
