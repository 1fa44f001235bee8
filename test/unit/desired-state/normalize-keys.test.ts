import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import type { ManifestIssue } from '../../../src/desired-state/manifest-issue.js';
import type { Service } from '../../../src/desired-state/model.js';
import { writeManifestTree } from '../../support/manifest-files.js';

// The keys real compose files use that composelet once rejected: each must load into its canonical model
// field, as compose-go normalizes it, and Swarm-only settings must load with a warning that names them.

function load(services: string, extra = ''): { services: Record<string, Service>; warnings: ManifestIssue[] } {
  const directory = writeManifestTree({ 'compose.yaml': `services:\n${services}\n${extra}` }, { directoryName: 'proj' });
  const result = loadDesiredState(directory, { environment: {}, homeDir: '/home/op' });
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return { services: result.state.projects[0]!.services, warnings: result.warnings };
}

function issuesOf(services: string): string[] {
  const directory = writeManifestTree({ 'compose.yaml': `services:\n${services}\n` }, { directoryName: 'proj' });
  const result = loadDesiredState(directory, { environment: {}, homeDir: '/home/op' });
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.issues.map((issue) => `${issue.line}: ${issue.path}: ${issue.message}`);
}

const DB = '  db: { image: x }';

describe('normalization of the keys real files use', () => {
  it.each<[string, string, Partial<Service>]>([
    ['links: alias and a service_started dependency that restarts with it', `  s:\n    image: x\n    links: [db, "db:database"]\n${DB}`, {
      links: [{ service: 'db', alias: 'database' }, { service: 'db', alias: 'db' }],
      dependsOn: { db: { condition: 'service_started', restart: true, required: true } },
    }],
    ['links keep a dependency already written', `  s:\n    image: x\n    links: [db]\n    depends_on: { db: { condition: service_healthy } }\n${DB}`, {
      dependsOn: { db: { condition: 'service_healthy', restart: false, required: true } },
    }],
    ['platform and runtime', '  s:\n    image: x\n    platform: linux/arm64/v8\n    runtime: runc', { platform: 'linux/arm64/v8', runtime: 'runc' }],
    ['devices short and long syntax', '  s:\n    image: x\n    devices: ["/dev/null:/dev/nothing:rw", "/dev/zero", { source: /dev/random, target: /dev/rnd, permissions: r }]', {
      devices: [
        { source: '/dev/null', target: '/dev/nothing', permissions: 'rw' },
        { source: '/dev/zero', target: '/dev/zero', permissions: 'rwm' },
        { source: '/dev/random', target: '/dev/rnd', permissions: 'r' },
      ],
      deviceRequests: [],
    }],
    ['a CDI device name becomes a cdi device request', '  s:\n    image: x\n    devices: ["nvidia.com/gpu=all"]', {
      devices: [],
      deviceRequests: [{ driver: 'cdi', count: 0, deviceIds: ['nvidia.com/gpu=all'], capabilities: [], options: {} }],
    }],
    ['GPU reservations: count all, device ids, options', [
      '  s:',
      '    image: x',
      '    deploy:',
      '      resources:',
      '        reservations:',
      '          devices:',
      '            - { driver: nvidia, count: all, capabilities: [gpu] }',
      '            - { capabilities: [gpu, utility], device_ids: ["0", "3"], options: { virtualization: "false" } }',
      '            - { capabilities: [tpu], count: 2 }',
      '            - { capabilities: [gpu] }',
    ].join('\n'), {
      deviceRequests: [
        { driver: 'nvidia', count: -1, deviceIds: [], capabilities: ['gpu'], options: {} },
        { driver: null, count: 0, deviceIds: ['0', '3'], capabilities: ['gpu', 'utility'], options: { virtualization: 'false' } },
        { driver: null, count: 2, deviceIds: [], capabilities: ['tpu'], options: {} },
        { driver: null, count: -1, deviceIds: [], capabilities: ['gpu'], options: {} },
      ],
    }],
    ['gpus: all', '  s:\n    image: x\n    gpus: all', { deviceRequests: [{ driver: null, count: -1, deviceIds: [], capabilities: ['gpu'], options: {} }] }],
    ['volumes_from: services (a dependency) and containers, with modes', `  s:\n    image: x\n    volumes_from: ["db:ro", "container:legacy", "service:db"]\n${DB}`, {
      volumesFrom: [
        { kind: 'service', name: 'db', readOnly: true },
        { kind: 'container', name: 'legacy', readOnly: false },
        { kind: 'service', name: 'db', readOnly: false },
      ],
      dependsOn: { db: { condition: 'service_started', restart: false, required: true } },
    }],
    ['mac_address on the service and per network', '  s:\n    image: x\n    mac_address: "02:42:ac:11:00:02"\n    networks: { front: { mac_address: "02:42:ac:11:00:02" } }', {
      macAddress: '02:42:ac:11:00:02',
      networks: { front: { aliases: [], ipv4Address: null, ipv6Address: null, priority: 0, macAddress: '02:42:ac:11:00:02' } },
    }],
    ['build labels and dockerfile_inline', '  s:\n    build:\n      context: .\n      dockerfile_inline: "FROM scratch\\n"\n      labels: [b=2, a=1]', {
      build: expect.objectContaining({ dockerfile: '.composelet.dockerfile-inline', dockerfileInline: 'FROM scratch\n', labels: { a: '1', b: '2' } }) as never,
    }],
    ['pull_policy every_<duration>', '  s:\n    image: x\n    pull_policy: every_1d12h', { pullPolicy: 'refresh', pullRefreshPeriodNs: 36 * 3600e9 }],
    ['pull_policy weekly', '  s:\n    image: x\n    pull_policy: weekly', { pullPolicy: 'refresh', pullRefreshPeriodNs: 7 * 24 * 3600e9 }],
    ['a host port range with one container port', '  s:\n    image: x\n    ports: ["6005-6015:80"]', {
      ports: [{ hostIp: '', hostPort: 6005, hostPortEnd: 6015, containerPort: 80, protocol: 'tcp' }],
    }],
    ['deploy.restart_policy: any means always', '  s:\n    image: x\n    deploy: { restart_policy: { condition: any } }', { restart: { name: 'always', maximumRetryCount: 0 } }],
    ['deploy.restart_policy: none means no', '  s:\n    image: x\n    deploy: { restart_policy: { condition: none } }', { restart: { name: 'no', maximumRetryCount: 0 } }],
    ['deploy.restart_policy: on-failure with max_attempts', '  s:\n    image: x\n    deploy: { restart_policy: { condition: on-failure, max_attempts: 3 } }', {
      restart: { name: 'on-failure', maximumRetryCount: 3 },
    }],
    ['deploy.restart_policy wins over restart, as in Compose v2', '  s:\n    image: x\n    restart: always\n    deploy: { restart_policy: { condition: on-failure } }', {
      restart: { name: 'on-failure', maximumRetryCount: 0 },
    }],
    ['update_config and rollback_config are kept with durations in ns', [
      '  s:',
      '    image: x',
      '    deploy:',
      '      update_config: { parallelism: 2, delay: 10s, failure_action: rollback, monitor: 1m, max_failure_ratio: 0.3, order: start-first }',
      '      rollback_config: { parallelism: "1", failure_action: pause }',
    ].join('\n'), {
      updateConfig: { parallelism: 2, delayNs: 10e9, failureAction: 'rollback', monitorNs: 60e9, maxFailureRatio: 0.3, order: 'start-first' },
      rollbackConfig: { parallelism: 1, delayNs: null, failureAction: 'pause', monitorNs: null, maxFailureRatio: null, order: null },
    }],
  ])('%s', (_name, services, expected) => {
    expect(load(services, 'networks:\n  front:\n').services.s).toMatchObject(expected);
  });

  it('a service using none of the new keys must hold their defaults', () => {
    expect(load('  s: { image: x }').services.s).toMatchObject({
      platform: null, runtime: null, macAddress: null, links: [], devices: [], deviceRequests: [], volumesFrom: [],
      pullRefreshPeriodNs: null, updateConfig: null, rollbackConfig: null,
    });
  });

  it('Swarm-only deploy keys must load with a warning that names each of them', () => {
    const { warnings } = load([
      '  s:',
      '    image: x',
      '    restart: always',
      '    deploy:',
      '      mode: global',
      '      endpoint_mode: dnsrr',
      '      labels: { team: core }',
      '      placement: { constraints: ["node.role == manager"] }',
      '      restart_policy: { condition: any, delay: 5s, window: 2m }',
      '      update_config: { parallelism: 1 }',
    ].join('\n'));
    const sorted = [...warnings].sort((left, right) => left.line - right.line || left.path.localeCompare(right.path));
    expect(sorted.map((warning) => `${warning.line}: ${warning.path}: ${warning.message}`)).toEqual([
      '4: services.s.restart: restart is overridden by deploy.restart_policy (as Compose v2 does): keep one of them',
      '6: services.s.deploy.mode: deploy.mode "global" is a Swarm mode and is ignored: composelet runs the service\'s replicas on one engine',
      '7: services.s.deploy.endpoint_mode: deploy.endpoint_mode is a Swarm setting and is ignored: services are reached by their DNS names on the project networks',
      '8: services.s.deploy.labels: deploy.labels is a Swarm setting and is ignored: they label the Swarm service; use labels for the containers',
      '9: services.s.deploy.placement: deploy.placement is a Swarm setting and is ignored: there is only one engine to place containers on',
      '10: services.s.deploy.restart_policy.delay: deploy.restart_policy.delay is a Swarm setting and is ignored: the engine restarts without a delay',
      '10: services.s.deploy.restart_policy.window: deploy.restart_policy.window is a Swarm setting and is ignored: the engine restarts without a window',
      '11: services.s.deploy.update_config: deploy.update_config is kept but has no effect yet: composelet replaces a service\'s containers one at a time',
    ]);
  });

  it.each<[string, string, RegExp]>([
    ['an unknown restart condition', '  s:\n    image: x\n    deploy: { restart_policy: { condition: sometimes } }', /restart_policy\.condition: got "sometimes"; expected one of none, on-failure, any/],
    ['max_attempts with condition any', '  s:\n    image: x\n    deploy: { restart_policy: { condition: any, max_attempts: 3 } }', /max_attempts applies to condition "on-failure" only/],
    ['a bad failure_action', '  s:\n    image: x\n    deploy: { update_config: { failure_action: retry } }', /failure_action: got "retry"; expected one of pause, continue, rollback/],
    ['rollback on a rollback', '  s:\n    image: x\n    deploy: { rollback_config: { failure_action: rollback } }', /failure_action: got "rollback"; expected one of pause, continue$/],
    ['a bad order', '  s:\n    image: x\n    deploy: { update_config: { order: random } }', /order: got "random"; expected one of stop-first, start-first/],
    ['a failure ratio over 1', '  s:\n    image: x\n    deploy: { update_config: { max_failure_ratio: 2 } }', /max_failure_ratio: must be at most 1/],
    ['a bad monitor duration', '  s:\n    image: x\n    deploy: { update_config: { monitor: soon } }', /update_config\.monitor/],
    ['a bad MAC address', '  s:\n    image: x\n    mac_address: "02:42"', /expected a MAC address/],
    ['service and primary network MAC addresses that differ', '  s:\n    image: x\n    mac_address: "02:42:ac:11:00:02"\n    networks: { front: { mac_address: "02:42:ac:11:00:03" } }\nnetworks:\n  front:', /mac_address must be the same as networks\.front\.mac_address/],
    ['a bad device', '  s:\n    image: x\n    devices: ["dev/null"]', /device "dev\/null" must be an absolute host path/],
    ['a device request without capabilities', '  s:\n    image: x\n    deploy: { resources: { reservations: { devices: [{ count: 1 }] } } }', /capabilities/],
    ['count and device_ids together', '  s:\n    image: x\n    deploy: { resources: { reservations: { devices: [{ capabilities: [gpu], count: 1, device_ids: ["0"] }] } } }', /count and device_ids are mutually exclusive/],
    ['a bad pull_policy', '  s:\n    image: x\n    pull_policy: every_day', /invalid pull_policy "every_day"/],
    ['dockerfile and dockerfile_inline together', '  s:\n    build: { context: ., dockerfile: Dockerfile, dockerfile_inline: "FROM scratch" }', /dockerfile and dockerfile_inline are mutually exclusive/],
    ['a link to an undefined service', '  s:\n    image: x\n    links: [nowhere]', /nowhere/],
    ['a rejected key, with its reason', '  s:\n    image: x\n    use_api_socket: true', /"use_api_socket" is not supported by composelet: it mounts the engine socket/],
  ])('%s must be rejected with the cause', (_name, services, pattern) => {
    expect(issuesOf(services).join('\n')).toMatch(pattern);
  });
});
