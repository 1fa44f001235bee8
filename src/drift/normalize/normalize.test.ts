import { describe, expect, it } from 'vitest';
import type { ContainerInspect } from '../../engine/engine-port.js';
import { projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import { imageDefaultsFromInspect, type ImageDefaults } from './comparable.js';
import { diffContainers } from '../compare/compare.js';
import { effectiveCommand, mergeHealthcheck, normalizeDesired, parseBind } from './normalize-desired.js';
import { alignToDesired, normalizeLive, resolveContainerMode } from './normalize-live.js';

// Both sides of one container projected onto the comparable shape: what the engine reports for a
// container composelet created (its defaults, the image's env, labels, EXPOSE and VOLUMEs, the
// container-id alias) must compare equal, and each out-of-band change must show at its own path.

const project = projectFromYaml(`
name: unit
services:
  app:
    image: composelet/busybox:1
    entrypoint: ["/bin/sh", "-c"]
    command: ["httpd -f"]
    environment: { GREETING: hello, PATH: /bin }
    user: "65534"
    working_dir: /srv
    ports: ["127.0.0.1::9090"]
    healthcheck: { test: ["CMD", "true"], interval: 5s }
    labels: { team: unit }
    mem_limit: 64m
    cpus: 0.5
    restart: on-failure:3
    init: true
    read_only: true
    cap_add: [NET_ADMIN]
    tmpfs: ["/run:size=1m"]
    volumes: [data:/data]
    networks:
      front: { aliases: [web] }
      back: {}
networks: { front: {}, back: {} }
volumes: { data: {} }
`);
const service = project.services['app']!;
const SHORT_ID = '4f75b696573a';
const IMAGE_ID = `sha256:${'b'.repeat(64)}`;

const image: ImageDefaults = imageDefaultsFromInspect({
  Id: IMAGE_ID,
  Config: {
    Env: ['PATH=/bin', 'IMAGE_ONLY=1'],
    Cmd: ['sh'],
    Labels: { 'org.example.vendor': 'unit' },
    ExposedPorts: { '80/tcp': {} },
    Volumes: { '/var/cache': {} },
  },
});

/** What `docker inspect` says about the container composelet created from the service (engine 20.10). */
function convergedInspect(): ContainerInspect {
  return {
    Id: `${SHORT_ID}${'0'.repeat(52)}`,
    Name: '/unit-app-1',
    Created: '2024-01-01T00:00:00Z',
    Image: IMAGE_ID,
    State: { Status: 'running', Running: true, ExitCode: 0, StartedAt: '', FinishedAt: '' },
    Config: {
      Hostname: SHORT_ID,
      User: '65534',
      ExposedPorts: { '80/tcp': {}, '9090/tcp': {} },
      Tty: false,
      OpenStdin: false,
      Env: ['GREETING=hello', 'PATH=/bin', 'IMAGE_ONLY=1'],
      Cmd: ['httpd -f'],
      Healthcheck: { Test: ['CMD', 'true'], Interval: 5_000_000_000 },
      Image: 'composelet/busybox:1',
      WorkingDir: '/srv',
      Entrypoint: ['/bin/sh', '-c'],
      Labels: {
        'com.docker.compose.project': 'unit',
        'com.docker.compose.service': 'app',
        'io.composelet.managed': 'true',
        'io.composelet.spec-hash': service.specHash,
        'org.example.vendor': 'unit',
        team: 'unit',
      },
    },
    HostConfig: {
      NetworkMode: 'unit_back',
      LogConfig: { Type: 'json-file', Config: {} },
      PortBindings: { '9090/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      CapAdd: ['NET_ADMIN'],
      CapDrop: null,
      Dns: [],
      IpcMode: 'private',
      PidMode: '',
      Privileged: false,
      ReadonlyRootfs: true,
      SecurityOpt: null,
      Tmpfs: { '/run': 'size=1m' },
      ShmSize: 67_108_864,
      Memory: 67_108_864,
      MemorySwap: 134_217_728,
      NanoCpus: 500_000_000,
      CpuShares: 0,
      PidsLimit: null,
      Init: true,
    },
    Mounts: [
      { Type: 'volume', Name: 'unit_data', Source: '/var/lib/docker/volumes/unit_data/_data', Destination: '/data', RW: true },
      { Type: 'volume', Name: 'c'.repeat(64), Source: '/var/lib/docker/volumes/ccc/_data', Destination: '/var/cache', RW: true },
    ],
    NetworkSettings: {
      Networks: {
        unit_back: { Aliases: ['app', SHORT_ID], NetworkID: 'n1' },
        unit_front: { Aliases: ['app', 'web', SHORT_ID], NetworkID: 'n2' },
      },
    },
  };
}

function differences(change: (inspect: ContainerInspect) => void = () => undefined) {
  const desired = normalizeDesired({ project, service, number: 1, image });
  desired.imageId = IMAGE_ID;
  const inspect = convergedInspect();
  change(inspect);
  const live = alignToDesired(desired, normalizeLive({ inspect, image, containerNames: new Map() }));
  return diffContainers(desired, live);
}

describe('normalizing both sides', () => {
  it('a container as the engine reports it after create must compare equal to its desired side', () => {
    expect(differences()).toEqual([]);
  });

  const host = (inspect: ContainerInspect) => inspect.HostConfig as Record<string, unknown>;
  const config = (inspect: ContainerInspect) => inspect.Config as Record<string, unknown>;

  it.each<[string, (inspect: ContainerInspect) => void, { path: string; op: string }]>([
    ['docker update --memory', (inspect) => (inspect.HostConfig.Memory = 134_217_728), { path: '/limits/memoryBytes', op: 'replace' }],
    ['docker update --restart', (inspect) => (inspect.HostConfig.RestartPolicy = { Name: 'always', MaximumRetryCount: 0 }), { path: '/limits/restart', op: 'replace' }],
    ['an env value changed', (inspect) => (inspect.Config.Env = ['GREETING=bye', 'PATH=/bin', 'IMAGE_ONLY=1']), { path: '/environment/GREETING', op: 'replace' }],
    ['an env variable added', (inspect) => inspect.Config.Env!.push('LOG_LEVEL=debug'), { path: '/environment/LOG_LEVEL', op: 'add' }],
    ['an image env variable overridden', (inspect) => (inspect.Config.Env = ['GREETING=hello', 'PATH=/bin', 'IMAGE_ONLY=2']), { path: '/environment/IMAGE_ONLY', op: 'add' }],
    ['a network disconnected', (inspect) => delete inspect.NetworkSettings.Networks['unit_front'], { path: '/networks/unit_front', op: 'remove' }],
    ['an alias dropped', (inspect) => (inspect.NetworkSettings.Networks['unit_front']!.Aliases = ['app', SHORT_ID]), { path: '/networks/unit_front/aliases', op: 'replace' }],
    ['a capability dropped', (inspect) => (host(inspect)['CapAdd'] = null), { path: '/capAdd', op: 'replace' }],
    ['privileged', (inspect) => (host(inspect)['Privileged'] = true), { path: '/privileged', op: 'replace' }],
    ['a healthcheck timing', (inspect) => (config(inspect)['Healthcheck'] = { Test: ['CMD', 'true'], Interval: 1_000_000_000 }), { path: '/healthcheck', op: 'replace' }],
    ['a mount made read-only', (inspect) => (inspect.Mounts[0]!.RW = false), { path: '/mounts/~1data', op: 'replace' }],
    ['a port bound to all interfaces', (inspect) => (host(inspect)['PortBindings'] = { '9090/tcp': [{ HostIp: '', HostPort: '' }] }), { path: '/ports/9090~1tcp', op: 'replace' }],
    ['another command', (inspect) => (inspect.Config.Cmd = ['sleep', '1']), { path: '/command', op: 'replace' }],
    ['a user label changed', (inspect) => (inspect.Config.Labels!['team'] = 'other'), { path: '/labels/team', op: 'replace' }],
    ['an image label overridden', (inspect) => (inspect.Config.Labels!['org.example.vendor'] = 'other'), { path: '/labels/org.example.vendor', op: 'add' }],
    ['another image id', (inspect) => (inspect.Image = `sha256:${'d'.repeat(64)}`), { path: '/imageId', op: 'replace' }],
    ['init off', (inspect) => (host(inspect)['Init'] = null), { path: '/init', op: 'replace' }],
  ])('%s must show at its own path', (_name, change, expected) => {
    expect(differences(change)).toEqual([expect.objectContaining(expected)]);
  });

  it.each<[string, (inspect: ContainerInspect) => void]>([
    ['a second container-id alias form', (inspect) => (inspect.NetworkSettings.Networks['unit_back']!.Aliases = [SHORT_ID, 'app'])],
    ['another hostname', (inspect) => (config(inspect)['Hostname'] = 'other')],
    ['the engine default ipc mode', (inspect) => (host(inspect)['IpcMode'] = 'shareable')],
    ['swap set by the engine', (inspect) => (inspect.HostConfig.MemorySwap = -1)],
    ['another log driver (left to the engine)', (inspect) => (host(inspect)['LogConfig'] = { Type: 'local', Config: {} })],
    ['env in another order', (inspect) => (inspect.Config.Env = ['IMAGE_ONLY=1', 'PATH=/bin', 'GREETING=hello'])],
  ])('%s must not count as drift', (_name, change) => {
    expect(differences(change)).toEqual([]);
  });
});

describe('what the engine merges in from the image', () => {
  it.each<[string, { Cmd?: string[]; Entrypoint?: string[] }, { command: string[] | null; entrypoint: string[] | null }]>([
    ['neither: both from the image', {}, { command: ['sh'], entrypoint: ['/init'] }],
    ['a command only: the image entrypoint stays', { Cmd: ['run'] }, { command: ['run'], entrypoint: ['/init'] }],
    ['an entrypoint only: the image command is dropped', { Entrypoint: ['/bin/app'] }, { command: null, entrypoint: ['/bin/app'] }],
    ['both', { Cmd: ['run'], Entrypoint: ['/bin/app'] }, { command: ['run'], entrypoint: ['/bin/app'] }],
    ['an empty entrypoint: cleared, the image command kept', { Entrypoint: [] }, { command: ['sh'], entrypoint: null }],
  ])('%s', (_name, spec, expected) => {
    expect(effectiveCommand(spec, { command: ['sh'], entrypoint: ['/init'] })).toEqual(expected);
  });

  it('a healthcheck must take the image test and timings it leaves out', () => {
    expect(mergeHealthcheck({ Interval: 1_000 }, { Test: ['CMD', 'probe'], Interval: 5_000, Retries: 3 })).toEqual({
      Test: ['CMD', 'probe'],
      Interval: 1_000,
      Retries: 3,
    });
    expect(mergeHealthcheck(undefined, { Test: ['CMD', 'probe'] })).toEqual({ Test: ['CMD', 'probe'] });
    expect(mergeHealthcheck({ Test: ['NONE'] }, null)).toEqual({ Test: ['NONE'] });
  });

  it('bind strings must split into source, target and access', () => {
    expect(parseBind('/srv/site:/site:ro,z')).toEqual({ source: '/srv/site', target: '/site', readOnly: true });
    expect(parseBind('/a:/b:rw')).toEqual({ source: '/a', target: '/b', readOnly: false });
  });

  it('container:<id> modes must be read back as container:<name>', () => {
    const names = new Map([['2a15236e3d4691f12a0bddeca15f30efb21728a2b0372d42678e6860d6d065cf', 'unit-db-1']]);
    expect(resolveContainerMode('container:2a15236e3d4691f12a0bddeca15f30efb21728a2b0372d42678e6860d6d065cf', names)).toBe('container:unit-db-1');
    expect(resolveContainerMode('container:unknown', names)).toBe('container:unknown');
    expect(resolveContainerMode('host', names)).toBe('host');
  });
});
