import { describe, expect, it } from 'vitest';
import { legacyDocument } from '../../bench/legacy-compose.js';
import { endpointOf } from '../../bench/socket-proxy.js';
import { memoryBytes, publishedPortCount, withEnvironment, withHostPorts, type ComposeDocument } from '../../bench/stack-documents.js';
import { formatFigure, formatRatio } from '../../bench/table.js';
import { measured, text } from '../../bench/report-model.js';

// The pure parts of the benchmark harness: the stack edits, the docker-compose 1.29 copy of a stack, the
// proxy's endpoint names and the table's figures.

const stack = (): ComposeDocument => ({
  name: 'demo',
  services: {
    api: {
      image: 'busybox',
      ports: ['127.0.0.1:18080:8080', '9000'],
      environment: { LOG_LEVEL: 'info' },
      healthcheck: { test: ['CMD', 'true'], interval: '1s', start_interval: '1s' },
      depends_on: { db: { condition: 'service_healthy', restart: true } },
      deploy: { resources: { limits: { memory: '64m', pids: 50 } } },
    },
    db: { image: 'busybox', environment: ['A=1'] },
  },
});

describe('benchmark stacks', () => {
  it('the docker-compose 1.29 copy must leave out what 1.29 rejects, and only that', () => {
    const legacy = legacyDocument(stack());
    expect(legacy['name']).toBeUndefined();
    expect(legacy.services['api']).toMatchObject({
      healthcheck: { test: ['CMD', 'true'], interval: '1s' },
      depends_on: { db: { condition: 'service_healthy' } },
      deploy: { resources: { limits: { memory: '64m' } } },
    });
    expect(JSON.stringify(legacy)).not.toMatch(/start_interval|"restart"|"pids"/);
  });

  it('the docker-compose copy must not change the original', () => {
    const original = stack();
    legacyDocument(original);
    expect(original).toEqual(stack());
  });

  it('published ports must get the free host ports in order, other ports left alone', () => {
    const document = stack();
    expect(publishedPortCount(document)).toBe(2);
    expect(withHostPorts(document, [40001]).services['api']!['ports']).toEqual(['127.0.0.1:40001:8080', '9000']);
  });

  it.each([
    ['a map', 'api', { LOG_LEVEL: 'info', BENCH_REVISION: '2' }],
    ['a list', 'db', ['A=1', 'BENCH_REVISION=2']],
  ])('an environment variable must be added to %s', (_form, service, expected) => {
    expect(withEnvironment(stack(), service, 'BENCH_REVISION', '2').services[service]!['environment']).toEqual(expected);
  });

  it.each([
    ['32m', 32 * 2 ** 20],
    ['96M', 96 * 2 ** 20],
    ['1g', 2 ** 30],
    ['512k', 512 * 1024],
  ])('memory limit %s must be %d bytes', (limit, bytes) => {
    expect(memoryBytes(limit)).toBe(bytes);
  });
});

describe('benchmark proxy endpoints', () => {
  it.each([
    ['/v1.41/containers/abc123/json', '/containers/{id}/json'],
    ['/v1.41/containers/json?all=1', '/containers/json'],
    ['/containers/create?name=p_web_1', '/containers/create'],
    ['/v1.41/images/composelet/busybox:1/json', '/images/{name}/json'],
    ['/v1.41/images/json', '/images/json'],
    ['/networks/p_default', '/networks/{id}'],
    ['/_ping', '/_ping'],
  ])('%s must count as %s', (url, endpoint) => {
    expect(endpointOf(url)).toBe(endpoint);
  });
});

describe('benchmark table', () => {
  it.each([
    [measured('ms', [1200, 1000, 1500, 1100, 1300]), '1.20 s (1.00–1.50 s)'],
    [measured('ms', [40, 50]), '45.0 ms (40.0–50.0 ms, n=2)'],
    [measured('calls', [10]), '10'],
    [text('does not heal'), 'does not heal'],
    [{ kind: 'failed', reason: 'a | b' } as const, 'failed: a \\| b'],
  ])('%j must read %s', (figure, expected) => {
    expect(formatFigure(figure)).toBe(expected);
  });

  it.each([
    [measured('ms', [50]), measured('ms', [2000]), '0.025× (40.0× less)'],
    [measured('ms', [3000]), measured('ms', [2000]), '1.50×'],
    [measured('ms', [50]), text('n/a'), '–'],
    [measured('ms', [50]), measured('calls', [5]), '–'],
  ])('%j against %j must give the ratio %s', (composelet, legacy, expected) => {
    expect(formatRatio(composelet, legacy)).toBe(expected);
  });
});
