import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import type { Service } from '../../../src/desired-state/model.js';
import { writeManifestTree } from '../../support/manifest-files.js';

// The model is canonical: what a manifest means, not how it was written.

function serviceFrom(definition: string, extra = ''): Service {
  const directory = writeManifestTree({ 'compose.yaml': `services:\n  s:\n${definition}\n${extra}` }, { directoryName: 'proj' });
  const result = loadDesiredState(directory, { environment: {}, homeDir: '/home/op' });
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return result.state.projects[0]!.services.s!;
}

describe('canonical forms', () => {
  it.each<[string, string, string, Partial<Service> | ((service: Service) => void)]>([
    ['ports short syntax', '    image: x\n    ports: ["127.0.0.1:8080:80", "9000-9001:9000-9001/udp", "3000"]', '', {
      ports: [
        { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '', hostPort: null, containerPort: 3000, protocol: 'tcp' },
        { hostIp: '', hostPort: 9000, containerPort: 9000, protocol: 'udp' },
        { hostIp: '', hostPort: 9001, containerPort: 9001, protocol: 'udp' },
      ],
    }],
    ['ports long syntax', '    image: x\n    ports:\n      - { target: 80, published: "8080", host_ip: 127.0.0.1, protocol: tcp }', '', {
      ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    }],
    ['volumes short and long syntax', '    image: x\n    volumes:\n      - data:/data:ro\n      - ./conf:/etc/app\n      - /cache\n      - { type: tmpfs, target: /run, tmpfs: { size: 64m } }', 'volumes:\n  data:\n', (service) => {
      expect(service.volumes).toEqual([
        { type: 'volume', source: null, target: '/cache', readOnly: false },
        { type: 'volume', source: 'data', target: '/data', readOnly: true },
        expect.objectContaining({ type: 'bind', target: '/etc/app', readOnly: false, createHostPath: true }),
        { type: 'tmpfs', source: null, target: '/run', readOnly: false, tmpfsSizeBytes: 64 * 1024 * 1024 },
      ]);
      expect(service.volumes[2]!.source).toMatch(/\/proj\/conf$/);
    }],
    ['durations in nanoseconds', '    image: x\n    stop_grace_period: 1m30s\n    healthcheck: { test: "true", interval: 500ms, timeout: 2s, retries: 3, start_period: 1s }', '', {
      stopGracePeriodNs: 90_000_000_000,
      healthcheck: { test: ['CMD-SHELL', 'true'], intervalNs: 500_000_000, timeoutNs: 2_000_000_000, retries: 3, startPeriodNs: 1_000_000_000, startIntervalNs: null },
    }],
    ['sizes in bytes, cpus in nano cpus', '    image: x\n    mem_limit: 512m\n    mem_reservation: 1g\n    shm_size: 64k\n    cpus: 1.5\n    pids_limit: 100', '', {
      limits: { memoryBytes: 536870912, memoryReservationBytes: 1073741824, memswapBytes: null, nanoCpus: 1_500_000_000, cpuShares: null, pidsLimit: 100 },
      shmSizeBytes: 65536,
    }],
    ['deploy limits', '    image: x\n    deploy:\n      replicas: 2\n      resources:\n        limits: { memory: 256m, cpus: "0.5", pids: 20 }\n        reservations: { memory: 64m }', '', {
      replicas: 2,
      limits: { memoryBytes: 268435456, memoryReservationBytes: 67108864, memswapBytes: null, nanoCpus: 500_000_000, cpuShares: null, pidsLimit: 20 },
    }],
    ['environment list and map give the same sorted map', '    image: x\n    environment: [B=2, A=1, EMPTY=]', '', { environment: { A: '1', B: '2', EMPTY: '' } }],
    ['command string is split into words', `    image: x\n    command: sh -c "echo 'hi there'"`, '', { command: ['sh', '-c', "echo 'hi there'"] }],
    ['healthcheck disable', '    image: x\n    healthcheck: { disable: true }', '', { healthcheck: { test: ['NONE'], intervalNs: null, timeoutNs: null, retries: null, startPeriodNs: null, startIntervalNs: null } }],
    ['restart with retries', '    image: x\n    restart: on-failure:3', '', { restart: { name: 'on-failure', maximumRetryCount: 3 } }],
    ['networks list gives empty settings; no networks means default', '    image: x\n    networks: [back]', 'networks:\n  back:\n', {
      networks: { back: { aliases: [], ipv4Address: null, ipv6Address: null, priority: 0, macAddress: null } },
    }],
    ['depends_on list means service_started', '    image: x\n    depends_on: [d]\n  d:\n    image: x', '', {
      dependsOn: { d: { condition: 'service_started', restart: false, required: true } },
    }],
    ['ulimits single value and soft/hard', '    image: x\n    ulimits: { nproc: 65535, nofile: { soft: 1024, hard: 2048 } }', '', {
      ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { soft: 65535, hard: 65535 } },
    }],
    ['extra_hosts list and map', '    image: x\n    extra_hosts: ["db=10.0.0.2", "cache:10.0.0.3"]', '', { extraHosts: ['cache:10.0.0.3', 'db:10.0.0.2'] }],
    ['expose in canonical port/protocol form', '    image: x\n    expose: ["9000/udp", 8080]', '', { expose: ['8080/tcp', '9000/udp'] }],
    ['secrets default target', '    image: x\n    secrets: [token]', 'secrets:\n  token: { environment: TOKEN }\n', {
      secrets: [{ source: 'token', target: '/run/secrets/token', uid: null, gid: null, mode: null }],
    }],
    ['healing: service settings over project settings over defaults', '    image: x\n    x-composelet:\n      healing: { backoff: { initial: 2s } }', 'x-composelet:\n  healing: { restart_unhealthy: false, backoff: { max: 1m } }\n', {
      healing: {
        enabled: true,
        restartUnhealthy: false,
        unhealthyGracePeriodNs: 30_000_000_000,
        backoff: { initialNs: 2_000_000_000, maxNs: 60_000_000_000, resetAfterNs: 600_000_000_000 },
      },
    }],
    ['booleans as strings', '    image: x\n    read_only: "true"\n    init: "false"', '', { readOnly: true, init: false }],
  ])('%s', (_name, definition, extra, expected) => {
    const service = serviceFrom(definition, extra);
    if (typeof expected === 'function') expected(service);
    else expect(service).toMatchObject(expected);
  });

  it('environment values from env_file must be marked as such', () => {
    const directory = writeManifestTree({
      'compose.yaml': 'services:\n  s:\n    image: x\n    env_file: app.env\n    environment: { OVERRIDE: literal }\n',
      'app.env': 'FROM_FILE=1\nOVERRIDE=from-file\n',
    });
    const result = loadDesiredState(directory, { environment: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const service = result.state.projects[0]!.services.s!;
    expect(service.environment).toEqual({ FROM_FILE: '1', OVERRIDE: 'literal' });
    expect(service.environmentFromFiles).toEqual(['FROM_FILE']);
  });

  it('the dependency graph must hold topological levels', () => {
    const directory = writeManifestTree({
      'compose.yaml': [
        'services:',
        '  ui: { image: x, depends_on: [api] }',
        '  api: { image: x, depends_on: { db: { condition: service_healthy }, cache: { condition: service_started } } }',
        '  db: { image: x }',
        '  cache: { image: x }',
        '  migrate: { image: x, depends_on: { db: { condition: service_healthy } } }',
      ].join('\n'),
    });
    const result = loadDesiredState(directory, { environment: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const graph = result.state.projects[0]!.graph;
    expect(graph.levels).toEqual([['cache', 'db'], ['api', 'migrate'], ['ui']]);
    expect(graph.dependents.db).toEqual(['api', 'migrate']);
  });
});
