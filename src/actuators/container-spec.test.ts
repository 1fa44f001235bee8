import { describe, expect, it } from 'vitest';
import type { Project } from '../desired-state/model.js';
import { loadDesiredState } from '../desired-state/load.js';
import { limitsHash } from '../reconciler/limits.js';
import { writeManifestTree, yaml } from '../../test/support/manifest-files.js';
import { additionalNetworks, buildContainerSpec, containerName, imageFor, type ContainerCreateSpec } from './container-spec.js';

// Each row is a small compose file; the container create body must carry the field as Compose v2 sets it.

function loadProject(manifest: string, files: Record<string, string> = {}): Project {
  const directory = writeManifestTree({ 'compose.yaml': manifest, ...files }, { directoryName: 'demo' });
  const result = loadDesiredState(directory, { environment: {}, homeDir: '/home/someone' });
  if (!result.ok) throw new Error(`fixture rejected: ${JSON.stringify(result.issues)}`);
  return result.state.projects[0]!;
}

/** Files the fixtures' secrets and configs read. */
const FIXTURE_FILES = { 'token.txt': 'secret\n', 'settings.ini': 'a=1\n' };

function specOf(manifest: string, serviceName = 'app'): { spec: ContainerCreateSpec; project: Project } {
  const project = loadProject(manifest, FIXTURE_FILES);
  const service = project.services[serviceName]!;
  return { project, spec: buildContainerSpec(project, service, { number: 1, image: imageFor(project, service) }) };
}

/** A one-service project: `app` with image busybox and the given lines under it. */
function app(lines: string): string {
  const indented = lines
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `services:\n  app:\n    image: busybox\n${indented}\n`;
}

type Row = [name: string, manifest: string, pick: (spec: ContainerCreateSpec) => unknown, expected: unknown];

const host = (spec: ContainerCreateSpec, key: string) => spec.HostConfig[key];

describe('buildContainerSpec', () => {
  it.each<Row>([
    ['image must be the given image', app('user: "1000"'), (spec) => spec.Image, 'busybox'],
    ['cmd must be omitted when command is not set', app('user: "1000"'), (spec) => 'Cmd' in spec, false],
    ['entrypoint must be omitted when not set', app('user: "1000"'), (spec) => 'Entrypoint' in spec, false],
    ['cmd must be the split command', app('command: sh -c "echo hi"'), (spec) => spec.Cmd, ['sh', '-c', 'echo hi']],
    ['entrypoint must be the list as written', app('entrypoint: ["/bin/sh", "-c"]'), (spec) => spec.Entrypoint, ['/bin/sh', '-c']],
    ['an empty command must stay an empty list', app('command: []'), (spec) => spec.Cmd, []],
    ['env must be sorted KEY=VALUE', app('environment:\n  ZED: "1"\n  ALPHA: two words'), (spec) => spec.Env, ['ALPHA=two words', 'ZED=1']],
    ['user must be set', app('user: "1000:1000"'), (spec) => spec.User, '1000:1000'],
    ['working dir must be set', app('working_dir: /srv'), (spec) => spec.WorkingDir, '/srv'],
    ['hostname must be set', app('hostname: box'), (spec) => spec.Hostname, 'box'],
    ['user must be omitted when not set', app('hostname: box'), (spec) => 'User' in spec, false],
    [
      'exposed ports must hold expose and the container side of ports',
      app('expose: ["9000", "53/udp"]\nports: ["127.0.0.1:8080:80"]'),
      (spec) => spec.ExposedPorts,
      { '53/udp': {}, '80/tcp': {}, '9000/tcp': {} },
    ],
    [
      'port bindings must give host ip and host port as a string',
      app('ports: ["127.0.0.1:8080:80", "443", "5353:53/udp"]'),
      (spec) => host(spec, 'PortBindings'),
      {
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
        '443/tcp': [{ HostIp: '', HostPort: '' }],
        '53/udp': [{ HostIp: '', HostPort: '5353' }],
      },
    ],
    [
      'healthcheck must be in nanoseconds',
      app('healthcheck:\n  test: ["CMD", "true"]\n  interval: 5s\n  timeout: 1s\n  retries: 3\n  start_period: 2s'),
      (spec) => spec.Healthcheck,
      { Test: ['CMD', 'true'], Interval: 5e9, Timeout: 1e9, Retries: 3, StartPeriod: 2e9 },
    ],
    ['a string healthcheck test must be CMD-SHELL', app('healthcheck:\n  test: exit 0'), (spec) => spec.Healthcheck, { Test: ['CMD-SHELL', 'exit 0'] }],
    ['a disabled healthcheck must be NONE', app('healthcheck:\n  disable: true'), (spec) => spec.Healthcheck, { Test: ['NONE'] }],
    ['a healthcheck without test must keep the timings only', app('healthcheck:\n  interval: 1m'), (spec) => spec.Healthcheck, { Interval: 60e9 }],
    ['healthcheck must be omitted when not declared', app('user: "1"'), (spec) => 'Healthcheck' in spec, false],
    ['stop signal must be set', app('stop_signal: SIGINT'), (spec) => spec.StopSignal, 'SIGINT'],
    ['stop timeout must be whole seconds of the grace period', app('stop_grace_period: 1m30s'), (spec) => spec.StopTimeout, 90],
    ['tty and stdin must be set', app('tty: true\nstdin_open: true'), (spec) => [spec.Tty, spec.OpenStdin], [true, true]],
    ['restart policy must carry the retry count', app('restart: on-failure:3'), (spec) => host(spec, 'RestartPolicy'), { Name: 'on-failure', MaximumRetryCount: 3 }],
    ['restart policy must default to no', app('user: "1"'), (spec) => host(spec, 'RestartPolicy'), { Name: 'no', MaximumRetryCount: 0 }],
    ['memory must be bytes', app('mem_limit: 64m\nmem_reservation: 32m\nmemswap_limit: 128m'), (spec) => [host(spec, 'Memory'), host(spec, 'MemoryReservation'), host(spec, 'MemorySwap')], [64 * 2 ** 20, 32 * 2 ** 20, 128 * 2 ** 20]],
    ['cpus must be nano cpus', app('cpus: 0.5\ncpu_shares: 512'), (spec) => [host(spec, 'NanoCpus'), host(spec, 'CpuShares')], [5e8, 512]],
    ['pids limit must come from deploy limits', app('deploy:\n  resources:\n    limits:\n      pids: 50'), (spec) => host(spec, 'PidsLimit'), 50],
    ['limits must be omitted when not set', app('user: "1"'), (spec) => ['Memory', 'NanoCpus', 'PidsLimit', 'CpuShares'].filter((key) => key in spec.HostConfig), []],
    ['init must be set when written', app('init: true'), (spec) => host(spec, 'Init'), true],
    ['init must be omitted when not written', app('user: "1"'), (spec) => 'Init' in spec.HostConfig, false],
    ['read only must be set', app('read_only: true'), (spec) => host(spec, 'ReadonlyRootfs'), true],
    ['capabilities must be set', app('cap_add: [NET_ADMIN]\ncap_drop: [ALL]'), (spec) => [host(spec, 'CapAdd'), host(spec, 'CapDrop')], [['NET_ADMIN'], ['ALL']]],
    ['security options must be passed', app('security_opt: ["no-new-privileges:true"]'), (spec) => host(spec, 'SecurityOpt'), ['no-new-privileges:true']],
    [
      'systempaths=unconfined must clear masked and read-only paths',
      app('security_opt: ["systempaths=unconfined"]'),
      (spec) => [host(spec, 'SecurityOpt'), host(spec, 'MaskedPaths'), host(spec, 'ReadonlyPaths')],
      [undefined, [], []],
    ],
    ['privileged must be set', app('privileged: true'), (spec) => host(spec, 'Privileged'), true],
    [
      'ulimits must be name, soft, hard',
      app('ulimits:\n  nproc: 65535\n  nofile:\n    soft: 1024\n    hard: 2048'),
      (spec) => host(spec, 'Ulimits'),
      [
        { Name: 'nofile', Soft: 1024, Hard: 2048 },
        { Name: 'nproc', Soft: 65535, Hard: 65535 },
      ],
    ],
    ['extra hosts must be host:ip', app('extra_hosts: ["db=10.0.0.5", "cache:10.0.0.6"]'), (spec) => host(spec, 'ExtraHosts'), ['cache:10.0.0.6', 'db:10.0.0.5']],
    ['dns settings must be set', app('dns: 1.1.1.1\ndns_search: [example.com]\ndns_opt: [ndots:2]'), (spec) => [host(spec, 'Dns'), host(spec, 'DnsSearch'), host(spec, 'DnsOptions')], [['1.1.1.1'], ['example.com'], ['ndots:2']]],
    ['group add must be set', app('group_add: [audio]'), (spec) => host(spec, 'GroupAdd'), ['audio']],
    ['pid and ipc modes must be set', app('pid: host\nipc: shareable'), (spec) => [host(spec, 'PidMode'), host(spec, 'IpcMode')], ['host', 'shareable']],
    ['sysctls must be set', app('sysctls:\n  net.core.somaxconn: 1024'), (spec) => host(spec, 'Sysctls'), { 'net.core.somaxconn': '1024' }],
    ['shm size must be bytes', app('shm_size: 128m'), (spec) => host(spec, 'ShmSize'), 128 * 2 ** 20],
    ['log config must be driver and options', app('logging:\n  driver: json-file\n  options:\n    max-size: 1m'), (spec) => host(spec, 'LogConfig'), { Type: 'json-file', Config: { 'max-size': '1m' } }],
    ['tmpfs entries must be a target -> options map', app('tmpfs: ["/run:size=64m", "/tmp"]'), (spec) => host(spec, 'Tmpfs'), { '/run': 'size=64m', '/tmp': '' }],
    ['a host port range must go as one range binding', app('ports: ["127.0.0.1:6005-6015:80"]'), (spec) => host(spec, 'PortBindings'), { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '6005-6015' }] }],
    [
      'long-syntax ports as `docker compose config` writes them (mode: ingress) must be published as docker compose does',
      app('ports:\n  - mode: ingress\n    target: 80\n    published: "8080"\n    protocol: tcp\n  - mode: host\n    target: 443\n    host_ip: 127.0.0.1\n    published: "8443"\n    protocol: tcp'),
      (spec) => host(spec, 'PortBindings'),
      { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '8443' }] },
    ],
    ['runtime must be set', app('runtime: runc'), (spec) => host(spec, 'Runtime'), 'runc'],
    ['runtime must be omitted when not set', app('hostname: box'), (spec) => 'Runtime' in spec.HostConfig, false],
    ['platform must ride beside the body, for the create query', app('platform: linux/amd64'), (spec) => spec.platform, 'linux/amd64'],
    [
      'devices must be device mappings',
      app('devices: ["/dev/null:/dev/nothing:rw", "/dev/zero"]'),
      (spec) => host(spec, 'Devices'),
      [
        { PathOnHost: '/dev/null', PathInContainer: '/dev/nothing', CgroupPermissions: 'rw' },
        { PathOnHost: '/dev/zero', PathInContainer: '/dev/zero', CgroupPermissions: 'rwm' },
      ],
    ],
    [
      'GPU reservations must be device requests (count all is -1)',
      app('deploy:\n  resources:\n    reservations:\n      devices:\n        - { driver: nvidia, count: all, capabilities: [gpu, utility], options: { a: "1" } }\n        - { capabilities: [gpu], device_ids: ["0"] }'),
      (spec) => host(spec, 'DeviceRequests'),
      [
        { Driver: 'nvidia', Count: -1, DeviceIDs: [], Capabilities: [['gpu', 'utility']], Options: { a: '1' } },
        { Driver: '', Count: 0, DeviceIDs: ['0'], Capabilities: [['gpu']], Options: {} },
      ],
    ],
    [
      'a CDI device must be a cdi device request',
      app('devices: ["nvidia.com/gpu=all"]'),
      (spec) => [host(spec, 'Devices'), host(spec, 'DeviceRequests')],
      [undefined, [{ Driver: 'cdi', Count: 0, DeviceIDs: ['nvidia.com/gpu=all'], Capabilities: [[]], Options: {} }]],
    ],
    ['mac_address must be the container MAC and the primary endpoint MAC', app('mac_address: "02:42:ac:11:00:02"'), (spec) => [spec.MacAddress, spec.NetworkingConfig.EndpointsConfig['demo_default']!['MacAddress']], ['02:42:ac:11:00:02', '02:42:ac:11:00:02']],
    ['mac_address must be omitted when not set', app('hostname: box'), (spec) => 'MacAddress' in spec, false],
    [
      'restart_policy must be the engine restart policy',
      app('deploy: { restart_policy: { condition: on-failure, max_attempts: 4 } }'),
      (spec) => host(spec, 'RestartPolicy'),
      { Name: 'on-failure', MaximumRetryCount: 4 },
    ],
  ])('%s', (_name, manifest, pick, expected) => {
    expect(pick(specOf(manifest).spec)).toEqual(expected);
  });
});

describe('buildContainerSpec links and volumes_from', () => {
  const manifest = yaml`
    name: shop
    services:
      app:
        image: busybox
        links: [db, "cache:redis"]
        volumes_from: ["db:ro", "container:legacy"]
      db: { image: busybox }
      cache: { image: busybox, deploy: { replicas: 2 } }
  `;

  it('links must name every replica of the linked service with the alias, as Compose v2 does', () => {
    const { spec } = specOf(manifest);
    const expected = [
      'shop-cache-1:redis', 'shop-cache-1:cache-1', 'shop-cache-1:shop-cache-1',
      'shop-cache-2:redis', 'shop-cache-2:cache-1', 'shop-cache-2:shop-cache-1',
      'shop-db-1:db', 'shop-db-1:db-1', 'shop-db-1:shop-db-1',
    ];
    expect(host(spec, 'Links')).toEqual(expected);
    expect(spec.NetworkingConfig.EndpointsConfig['shop_default']!['Links']).toEqual(expected);
  });

  it('volumes_from must name the first container of a service, or the container, with the mode', () => {
    expect(host(specOf(manifest).spec, 'VolumesFrom')).toEqual(['shop-db-1:ro', 'legacy:rw']);
  });

  it('a service without links must send no Links at all', () => {
    const { spec } = specOf(manifest, 'db');
    expect([host(spec, 'Links'), spec.NetworkingConfig.EndpointsConfig['shop_default']!['Links'], host(spec, 'VolumesFrom')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('buildContainerSpec mounts', () => {
  const manifest = yaml`
    services:
      app:
        image: busybox
        volumes:
          - data:/data
          - /cache
          - ./site:/site:ro
          - type: bind
            source: ./conf
            target: /conf
            bind:
              propagation: rslave
          - type: tmpfs
            target: /scratch
            tmpfs:
              size: 1m
          - type: volume
            source: data
            target: /copy
            volume:
              nocopy: true
        secrets: [token]
        configs:
          - source: settings
            target: /etc/settings.ini
    volumes:
      data: {}
    secrets:
      token:
        file: ./token.txt
    configs:
      settings:
        file: ./settings.ini
  `;

  it('short-syntax binds must go to Binds so the engine creates the host path', () => {
    const { spec, project } = specOf(manifest);
    expect(spec.HostConfig['Binds']).toEqual([`${project.workingDir}/site:/site:ro`]);
  });

  it.each<[target: string, expected: Record<string, unknown>]>([
    ['/data', { Type: 'volume', Source: 'demo_data', Target: '/data', ReadOnly: false }],
    ['/cache', { Type: 'volume', Target: '/cache', ReadOnly: false }],
    ['/conf', { Type: 'bind', Source: '<dir>/conf', Target: '/conf', ReadOnly: false, BindOptions: { Propagation: 'rslave' } }],
    ['/scratch', { Type: 'tmpfs', Target: '/scratch', ReadOnly: false, TmpfsOptions: { SizeBytes: 2 ** 20 } }],
    ['/copy', { Type: 'volume', Source: 'demo_data', Target: '/copy', ReadOnly: false, VolumeOptions: { NoCopy: true } }],
    ['/run/secrets/token', { Type: 'bind', Source: '<dir>/token.txt', Target: '/run/secrets/token', ReadOnly: true }],
    ['/etc/settings.ini', { Type: 'bind', Source: '<dir>/settings.ini', Target: '/etc/settings.ini', ReadOnly: true }],
  ])('the mount at %s must be as Compose builds it', (target, expected) => {
    const { spec, project } = specOf(manifest);
    const mounts = spec.HostConfig['Mounts'] as Array<Record<string, unknown>>;
    const resolved = JSON.parse(JSON.stringify(expected).replaceAll('<dir>', project.workingDir)) as Record<string, unknown>;
    expect(mounts.find((mount) => mount.Target === target)).toEqual(resolved);
  });

  it('every mount must appear once, sorted by target', () => {
    const mounts = specOf(manifest).spec.HostConfig['Mounts'] as Array<{ Target: string }>;
    expect(mounts.map((mount) => mount.Target)).toEqual(['/cache', '/conf', '/copy', '/data', '/etc/settings.ini', '/run/secrets/token', '/scratch']);
  });

  it('a secret whose target a volume already mounts must not be mounted twice', () => {
    const { spec } = specOf(yaml`
      services:
        app:
          image: busybox
          volumes: ["keys:/run/secrets/token"]
          secrets: [token]
      volumes:
        keys: {}
      secrets:
        token:
          file: ./token.txt
    `);
    expect(spec.HostConfig['Mounts']).toEqual([{ Type: 'volume', Source: 'demo_keys', Target: '/run/secrets/token', ReadOnly: false }]);
  });

  it('an environment secret must not be mounted', () => {
    const { spec } = specOf(yaml`
      services:
        app:
          image: busybox
          secrets: [token]
      secrets:
        token:
          environment: TOKEN
    `);
    expect('Mounts' in spec.HostConfig).toBe(false);
  });
});

describe('buildContainerSpec labels', () => {
  const manifest = app('labels:\n  team: web\n  com.docker.compose.project: spoofed');

  it.each<[label: string, expected: (project: Project) => string]>([
    ['team', () => 'web'],
    ['com.docker.compose.project', () => 'demo'],
    ['com.docker.compose.service', () => 'app'],
    ['com.docker.compose.container-number', () => '1'],
    ['com.docker.compose.oneoff', () => 'False'],
    ['com.docker.compose.project.working_dir', (project) => project.workingDir],
    ['com.docker.compose.project.config_files', (project) => project.configFiles.join(',')],
    ['com.docker.compose.config-hash', (project) => project.services['app']!.specHash],
    ['com.docker.compose.version', () => '2.0.0-composelet'],
    ['io.composelet.managed', () => 'true'],
    ['io.composelet.spec-hash', (project) => project.services['app']!.specHash],
    ['io.composelet.limits-hash', (project) => limitsHash(project.services['app']!)],
  ])('label %s must be set', (label, expected) => {
    const { spec, project } = specOf(manifest);
    expect(spec.Labels[label]).toBe(expected(project));
  });
});

describe('buildContainerSpec networking', () => {
  const manifest = yaml`
    services:
      app:
        image: busybox
        networks:
          back:
            aliases: [api]
          front:
            priority: 10
            ipv4_address: 172.28.0.10
          mid: {}
      solo:
        image: busybox
      sidecar:
        image: busybox
        network_mode: service:app
        pid: service:app
    networks:
      back: {}
      front:
        name: shared-front
      mid: {}
  `;

  it('the network mode must be the highest priority network', () => {
    expect(specOf(manifest).spec.HostConfig['NetworkMode']).toBe('shared-front');
  });

  it('only the primary network must be in the create body, with aliases and address', () => {
    expect(specOf(manifest).spec.NetworkingConfig).toEqual({
      EndpointsConfig: { 'shared-front': { Aliases: ['app'], IPAMConfig: { IPv4Address: '172.28.0.10' } } },
    });
  });

  it('the other networks must be listed by priority then name, for connect operations', () => {
    const project = loadProject(manifest);
    expect(additionalNetworks(project, project.services['app']!)).toEqual([
      { key: 'back', name: 'demo_back', aliases: ['app', 'api'], ipv4Address: null, ipv6Address: null, macAddress: null },
      { key: 'mid', name: 'demo_mid', aliases: ['app'], ipv4Address: null, ipv6Address: null, macAddress: null },
    ]);
  });

  it('a service without networks must join the default network', () => {
    const { spec } = specOf(manifest, 'solo');
    expect([spec.HostConfig['NetworkMode'], Object.keys(spec.NetworkingConfig.EndpointsConfig)]).toEqual(['demo_default', ['demo_default']]);
  });

  it('service: references must name the service container', () => {
    const { spec } = specOf(manifest, 'sidecar');
    expect([spec.HostConfig['NetworkMode'], spec.HostConfig['PidMode'], spec.NetworkingConfig]).toEqual([
      'container:demo-app-1',
      'container:demo-app-1',
      { EndpointsConfig: {} },
    ]);
  });
});

describe('containerName and imageFor', () => {
  const manifest = yaml`
    services:
      web:
        image: busybox
      named:
        image: busybox
        container_name: the-one
      built:
        build: .
  `;

  it.each<[service: string, number: number, expected: string]>([
    ['web', 1, 'demo-web-1'],
    ['web', 3, 'demo-web-3'],
    ['named', 1, 'the-one'],
  ])('the container of %s number %d must be named %s', (serviceName, number, expected) => {
    const project = loadProject(manifest);
    expect(containerName(project, project.services[serviceName]!, number)).toBe(expected);
  });

  it.each<[service: string, expected: string]>([
    ['web', 'busybox'],
    ['built', 'demo-built'],
  ])('the image of %s must be %s', (serviceName, expected) => {
    const project = loadProject(manifest);
    expect(imageFor(project, project.services[serviceName]!)).toBe(expected);
  });
});
