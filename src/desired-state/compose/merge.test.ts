import { describe, expect, it } from 'vitest';
import { mergeDocuments, mergeService } from './merge.js';

type Case = { name: string; base: Record<string, unknown>; override: Record<string, unknown>; expected: Record<string, unknown> };

/** Each case names the keys it checks; `expected` must equal the merged service exactly. */
function check({ base, override, expected }: Case): void {
  expect(mergeService(base, override)).toEqual(expected);
}

describe('mergeService scalars, mappings and unknown keys', () => {
  it.each<Case>([
    { name: 'override scalar', base: { image: 'a:1' }, override: { image: 'a:2' }, expected: { image: 'a:2' } },
    { name: 'base-only key', base: { image: 'a', user: 'me' }, override: { image: 'b' }, expected: { image: 'b', user: 'me' } },
    { name: 'override-only key', base: {}, override: { init: true }, expected: { init: true } },
    { name: 'null override of a scalar', base: { image: 'a' }, override: { image: null }, expected: { image: 'a' } },
    { name: 'null base of a scalar', base: { image: null }, override: { image: 'b' }, expected: { image: 'b' } },
    { name: 'unknown key', base: { future_key: 1 }, override: { future_key: 2 }, expected: { future_key: 2 } },
    {
      name: 'unknown mapping (recursive)',
      base: { storage_opt: { size: '1G', a: { b: 1, c: 2 } } },
      override: { storage_opt: { a: { c: 3 }, d: 4 } },
      expected: { storage_opt: { size: '1G', a: { b: 1, c: 3 }, d: 4 } },
    },
    {
      name: 'unknown sequence (appended without duplicates)',
      base: { device_cgroup_rules: ['c 1:3 mr', 'a 7:* rmw'] },
      override: { device_cgroup_rules: ['a 7:* rmw', 'c 2:2 r'] },
      expected: { device_cgroup_rules: ['c 1:3 mr', 'a 7:* rmw', 'c 2:2 r'] },
    },
    {
      name: 'scalar replaced by a mapping',
      base: { credential_spec: 'x' },
      override: { credential_spec: { file: 'y' } },
      expected: { credential_spec: { file: 'y' } },
    },
    {
      name: 'x-* keys (replaced, not merged)',
      base: { 'x-composelet': { a: 1, b: 2 } },
      override: { 'x-composelet': { b: 3 } },
      expected: { 'x-composelet': { b: 3 } },
    },
    {
      name: 'extends (override wins)',
      base: { extends: { service: 'a', file: 'a.yaml' } },
      override: { extends: 'b' },
      expected: { extends: 'b' },
    },
  ])('mergeService must merge $name', check);
});

describe('mergeService replaced keys', () => {
  it.each<Case>([
    { name: 'command list', base: { command: ['echo', 'foo'] }, override: { command: ['echo', 'bar'] }, expected: { command: ['echo', 'bar'] } },
    { name: 'command string over list', base: { command: ['a', 'b'] }, override: { command: 'c d' }, expected: { command: 'c d' } },
    { name: 'command null', base: { command: ['a'] }, override: { command: null }, expected: { command: null } },
    { name: 'command base only', base: { command: ['a'] }, override: {}, expected: { command: ['a'] } },
    { name: 'entrypoint list', base: { entrypoint: ['/a'] }, override: { entrypoint: ['/b', '-x'] }, expected: { entrypoint: ['/b', '-x'] } },
    { name: 'entrypoint null', base: { entrypoint: '/a' }, override: { entrypoint: null }, expected: { entrypoint: null } },
    {
      name: 'healthcheck test (the rest of healthcheck merged)',
      base: { healthcheck: { test: ['CMD', 'a'], interval: '10s', retries: 3 } },
      override: { healthcheck: { test: ['CMD-SHELL', 'b'], interval: '5s' } },
      expected: { healthcheck: { test: ['CMD-SHELL', 'b'], interval: '5s', retries: 3 } },
    },
    {
      name: 'healthcheck without test in the override',
      base: { healthcheck: { test: ['CMD', 'a'] } },
      override: { healthcheck: { timeout: '1s' } },
      expected: { healthcheck: { test: ['CMD', 'a'], timeout: '1s' } },
    },
  ])('mergeService must replace $name', check);
});

describe('mergeService keyed maps (list or map form, result in map form)', () => {
  it.each<Case>([
    {
      name: 'environment map over map',
      base: { environment: { A: '1', B: '2' } },
      override: { environment: { B: '3', C: '4' } },
      expected: { environment: { A: '1', B: '3', C: '4' } },
    },
    {
      name: 'environment list over list',
      base: { environment: ['A=1', 'B=2', 'EMPTY='] },
      override: { environment: ['B=3', 'PASS'] },
      expected: { environment: { A: '1', B: '3', EMPTY: '', PASS: null } },
    },
    {
      name: 'environment list over map (values with = kept whole)',
      base: { environment: { A: '1', B: 2 } },
      override: { environment: ['B=x=y', 'A'] },
      expected: { environment: { A: null, B: 'x=y' } },
    },
    {
      name: 'environment map over list',
      base: { environment: ['A=1', 'B'] },
      override: { environment: { B: 'set', C: null } },
      expected: { environment: { A: '1', B: 'set', C: null } },
    },
    {
      name: 'environment in one file only (still map form)',
      base: { environment: ['A=1'] },
      override: {},
      expected: { environment: { A: '1' } },
    },
    {
      name: 'environment null override',
      base: { environment: ['A=1'] },
      override: { environment: null },
      expected: { environment: { A: '1' } },
    },
    {
      name: 'labels list and map',
      base: { labels: ['com.a=1', 'com.flag'] },
      override: { labels: { 'com.a': '2', 'com.b': '3' } },
      expected: { labels: { 'com.a': '2', 'com.flag': '', 'com.b': '3' } },
    },
    {
      name: 'labels map and list',
      base: { labels: { x: '1' } },
      override: { labels: ['x=2', 'y=3'] },
      expected: { labels: { x: '2', y: '3' } },
    },
    {
      name: 'annotations list and map',
      base: { annotations: ['a=1'] },
      override: { annotations: { b: '2' } },
      expected: { annotations: { a: '1', b: '2' } },
    },
    {
      name: 'sysctls list and map',
      base: { sysctls: ['net.core.somaxconn=1024', 'net.ipv4.tcp_syncookies=0'] },
      override: { sysctls: { 'net.core.somaxconn': 2048 } },
      expected: { sysctls: { 'net.core.somaxconn': 2048, 'net.ipv4.tcp_syncookies': '0' } },
    },
    {
      name: 'extra_hosts list (both separators) and map',
      base: { extra_hosts: ['db:10.0.0.1', 'cache=10.0.0.2', 'v6:::1'] },
      override: { extra_hosts: { db: '10.0.0.9' } },
      expected: { extra_hosts: { db: '10.0.0.9', cache: '10.0.0.2', v6: '::1' } },
    },
    {
      name: 'extra_hosts map and list',
      base: { extra_hosts: { db: '10.0.0.1' } },
      override: { extra_hosts: ['db=10.0.0.2', 'other:10.0.0.3'] },
      expected: { extra_hosts: { db: '10.0.0.2', other: '10.0.0.3' } },
    },
    {
      name: 'extra_hosts with one host listed twice in a file',
      base: { extra_hosts: ['multi=10.0.0.1', 'multi=10.0.0.2'] },
      override: {},
      expected: { extra_hosts: { multi: ['10.0.0.1', '10.0.0.2'] } },
    },
    {
      name: 'ulimits per name',
      base: { ulimits: { nproc: 65535, nofile: { soft: 1024, hard: 2048 } } },
      override: { ulimits: { nofile: { soft: 4096, hard: 8192 }, core: 0 } },
      expected: { ulimits: { nproc: 65535, nofile: { soft: 4096, hard: 8192 }, core: 0 } },
    },
    {
      name: 'ulimits number over mapping',
      base: { ulimits: { nofile: { soft: 1, hard: 2 } } },
      override: { ulimits: { nofile: 10 } },
      expected: { ulimits: { nofile: 10 } },
    },
    {
      name: 'build args list and map',
      base: { build: { context: '.', args: ['A=1', 'B'] } },
      override: { build: { args: { B: '2', C: null } } },
      expected: { build: { context: '.', args: { A: '1', B: '2', C: null } } },
    },
    {
      name: 'build args map and list',
      base: { build: { args: { A: '1' } } },
      override: { build: { args: ['A', 'D=4'] } },
      expected: { build: { args: { A: null, D: '4' } } },
    },
    {
      name: 'deploy resources (recursive) and deploy labels',
      base: {
        deploy: {
          labels: ['a=1'],
          resources: { limits: { cpus: '1', memory: '1G' }, reservations: { memory: '256M' } },
        },
      },
      override: { deploy: { labels: { b: '2' }, resources: { limits: { memory: '2G' } }, replicas: 2 } },
      expected: {
        deploy: {
          labels: { a: '1', b: '2' },
          resources: { limits: { cpus: '1', memory: '2G' }, reservations: { memory: '256M' } },
          replicas: 2,
        },
      },
    },
    {
      name: 'logging options with the same driver',
      base: { logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } } },
      override: { logging: { driver: 'json-file', options: { 'max-size': '20m' } } },
      expected: { logging: { driver: 'json-file', options: { 'max-size': '20m', 'max-file': '3' } } },
    },
    {
      name: 'logging options when the override names no driver',
      base: { logging: { driver: 'local', options: { a: '1' } } },
      override: { logging: { options: { b: '2' } } },
      expected: { logging: { driver: 'local', options: { a: '1', b: '2' } } },
    },
    {
      name: 'logging with a different driver (replaced whole)',
      base: { logging: { driver: 'json-file', options: { 'max-size': '10m' } } },
      override: { logging: { driver: 'syslog', options: { 'syslog-address': 'udp://x' } } },
      expected: { logging: { driver: 'syslog', options: { 'syslog-address': 'udp://x' } } },
    },
  ])('mergeService must merge $name by key', check);
});

describe('mergeService depends_on and networks', () => {
  it.each<Case>([
    {
      name: 'depends_on list and list',
      base: { depends_on: ['db'] },
      override: { depends_on: ['cache', 'db'] },
      expected: { depends_on: { db: { condition: 'service_started' }, cache: { condition: 'service_started' } } },
    },
    {
      name: 'depends_on map over list (merged per dependency)',
      base: { depends_on: ['db', 'cache'] },
      override: { depends_on: { db: { condition: 'service_healthy', restart: true } } },
      expected: {
        depends_on: {
          db: { condition: 'service_healthy', restart: true },
          cache: { condition: 'service_started' },
        },
      },
    },
    {
      name: 'depends_on list over map (the listed form means service_started)',
      base: { depends_on: { db: { condition: 'service_healthy', required: false } } },
      override: { depends_on: ['db'] },
      expected: { depends_on: { db: { condition: 'service_started', required: false } } },
    },
    {
      name: 'depends_on in one file only',
      base: {},
      override: { depends_on: ['db'] },
      expected: { depends_on: { db: { condition: 'service_started' } } },
    },
    {
      name: 'networks list and list',
      base: { networks: ['front'] },
      override: { networks: ['back', 'front'] },
      expected: { networks: { front: null, back: null } },
    },
    {
      name: 'networks map over list (null merged with an object is the object)',
      base: { networks: ['front', 'back'] },
      override: { networks: { front: { aliases: ['web'] } } },
      expected: { networks: { front: { aliases: ['web'] }, back: null } },
    },
    {
      name: 'networks list over map (the object stays)',
      base: { networks: { front: { aliases: ['web'], ipv4_address: '10.0.0.2' } } },
      override: { networks: ['front'] },
      expected: { networks: { front: { aliases: ['web'], ipv4_address: '10.0.0.2' } } },
    },
    {
      name: 'networks map and map (recursive, aliases appended)',
      base: { networks: { front: { aliases: ['web'], priority: 1 } } },
      override: { networks: { front: { aliases: ['www', 'web'], priority: 5 } } },
      expected: { networks: { front: { aliases: ['web', 'www'], priority: 5 } } },
    },
  ])('mergeService must merge $name', check);
});

describe('mergeService appended lists', () => {
  const appended = [
    'cap_add',
    'cap_drop',
    'dns',
    'dns_search',
    'dns_opt',
    'expose',
    'security_opt',
    'tmpfs',
    'profiles',
    'env_file',
    'devices',
    'links',
    'external_links',
    'group_add',
  ];

  it.each(appended)('mergeService must append %s keeping base order and dropping duplicates', (key) => {
    const merged = mergeService({ [key]: ['a1', 'b1', 'a1'] }, { [key]: ['c1', 'b1', 'd1'] });
    expect(merged).toEqual({ [key]: ['a1', 'b1', 'c1', 'd1'] });
  });

  it.each(appended)('mergeService must keep %s when the override has none or null', (key) => {
    expect(mergeService({ [key]: ['a1'] }, {})).toEqual({ [key]: ['a1'] });
    expect(mergeService({ [key]: ['a1'] }, { [key]: null })).toEqual({ [key]: ['a1'] });
  });

  it.each<Case>([
    { name: 'dns as strings', base: { dns: '8.8.8.8' }, override: { dns: '1.1.1.1' }, expected: { dns: ['8.8.8.8', '1.1.1.1'] } },
    { name: 'dns string and list', base: { dns: '8.8.8.8' }, override: { dns: ['8.8.8.8', '9.9.9.9'] }, expected: { dns: ['8.8.8.8', '9.9.9.9'] } },
    { name: 'tmpfs string and list', base: { tmpfs: '/run' }, override: { tmpfs: ['/tmp:size=64m', '/run'] }, expected: { tmpfs: ['/run', '/tmp:size=64m'] } },
    { name: 'tmpfs list and string', base: { tmpfs: ['/run'] }, override: { tmpfs: '/tmp' }, expected: { tmpfs: ['/run', '/tmp'] } },
    { name: 'env_file strings', base: { env_file: '.env' }, override: { env_file: 'prod.env' }, expected: { env_file: ['.env', 'prod.env'] } },
    {
      name: 'env_file long syntax with the same path (later wins in place)',
      base: { env_file: ['a.env', { path: 'b.env', required: true }] },
      override: { env_file: [{ path: 'b.env', required: false }, 'c.env'] },
      expected: { env_file: ['a.env', { path: 'b.env', required: false }, 'c.env'] },
    },
    { name: 'expose numbers and strings', base: { expose: [80, '443'] }, override: { expose: ['80', 8080] }, expected: { expose: ['80', '443', 8080] } },
    {
      name: 'devices with the same container path',
      base: { devices: ['/dev/sda:/dev/xvda:rwm', '/dev/fuse'] },
      override: { devices: ['/dev/sdb:/dev/xvda', '/dev/fuse'] },
      expected: { devices: ['/dev/sdb:/dev/xvda', '/dev/fuse'] },
    },
  ])('mergeService must append $name', check);
});

describe('mergeService ports', () => {
  it.each<Case>([
    {
      name: 'new short ports appended, equal ones dropped',
      base: { ports: ['8080:80', '443:443'] },
      override: { ports: ['8080:80', '9090:90'] },
      expected: { ports: ['8080:80', '443:443', '9090:90'] },
    },
    {
      name: 'numbers',
      base: { ports: [80] },
      override: { ports: [80, 81] },
      expected: { ports: [80, 81] },
    },
    {
      name: 'deep-equal long syntax dropped whatever the key order',
      base: { ports: [{ target: 80, published: '8080', protocol: 'tcp' }] },
      override: { ports: [{ protocol: 'tcp', published: '8080', target: 80 }, { target: 53, protocol: 'udp' }] },
      expected: { ports: [{ target: 80, published: '8080', protocol: 'tcp' }, { target: 53, protocol: 'udp' }] },
    },
    {
      name: 'long syntax with the same ip, published, target and protocol (later replaces)',
      base: { ports: [{ target: 80, published: 8080, mode: 'ingress' }] },
      override: { ports: [{ target: 80, published: 8080, mode: 'host' }] },
      expected: { ports: [{ target: 80, published: 8080, mode: 'host' }] },
    },
    {
      name: 'long syntax on another protocol kept',
      base: { ports: [{ target: 53, published: 53 }] },
      override: { ports: [{ target: 53, published: 53, protocol: 'udp' }] },
      expected: { ports: [{ target: 53, published: 53 }, { target: 53, published: 53, protocol: 'udp' }] },
    },
  ])('mergeService must merge ports: $name', check);
});

describe('mergeService volumes', () => {
  it.each<Case>([
    {
      name: 'same target in short syntax replaced in place',
      base: { volumes: ['data:/var/lib/data', './conf:/etc/app:ro', 'logs:/var/log'] },
      override: { volumes: ['other:/etc/app', 'cache:/cache'] },
      expected: { volumes: ['data:/var/lib/data', 'other:/etc/app', 'logs:/var/log', 'cache:/cache'] },
    },
    {
      name: 'single-field (anonymous) short syntax keyed by itself',
      base: { volumes: ['/scratch'] },
      override: { volumes: ['named:/scratch:rw', '/other'] },
      expected: { volumes: ['named:/scratch:rw', '/other'] },
    },
    {
      name: 'long syntax replaces short syntax with the same target',
      base: { volumes: ['data:/data'] },
      override: { volumes: [{ type: 'bind', source: './d', target: '/data' }] },
      expected: { volumes: [{ type: 'bind', source: './d', target: '/data' }] },
    },
    {
      name: 'short syntax replaces long syntax with the same target',
      base: { volumes: [{ type: 'volume', source: 'a', target: '/a' }, { type: 'tmpfs', target: '/t' }] },
      override: { volumes: ['b:/a'] },
      expected: { volumes: ['b:/a', { type: 'tmpfs', target: '/t' }] },
    },
    {
      name: 'base duplicates collapsed, later wins',
      base: { volumes: ['a:/x', 'b:/x'] },
      override: {},
      expected: { volumes: ['b:/x'] },
    },
  ])('mergeService must merge volumes: $name', check);
});

describe('mergeService secrets and configs', () => {
  it.each<Case>([
    {
      name: 'secrets short syntax with the same source kept once',
      base: { secrets: ['db_password', 'api_key'] },
      override: { secrets: ['api_key', 'tls'] },
      expected: { secrets: ['db_password', 'api_key', 'tls'] },
    },
    {
      name: 'secrets long syntax over short syntax landing at the same place (replaced)',
      base: { secrets: ['db_password'] },
      override: { secrets: [{ source: 'db_password', mode: 0o400 }] },
      expected: { secrets: [{ source: 'db_password', mode: 0o400 }] },
    },
    {
      name: 'secrets relative target means /run/secrets/<target>',
      base: { secrets: [{ source: 'a', target: 'pw' }] },
      override: { secrets: [{ source: 'b', target: '/run/secrets/pw' }] },
      expected: { secrets: [{ source: 'b', target: '/run/secrets/pw' }] },
    },
    {
      name: 'secrets: another source at the same target replaces',
      base: { secrets: [{ source: 'old_cert', target: '/etc/tls/cert.pem' }] },
      override: { secrets: [{ source: 'new_cert', target: '/etc/tls/cert.pem' }] },
      expected: { secrets: [{ source: 'new_cert', target: '/etc/tls/cert.pem' }] },
    },
    {
      name: 'secrets: the same source mounted at another target is a second mount',
      base: { secrets: ['cert'] },
      override: { secrets: [{ source: 'cert', target: '/etc/tls/cert.pem' }] },
      expected: { secrets: ['cert', { source: 'cert', target: '/etc/tls/cert.pem' }] },
    },
    {
      name: 'configs short and long syntax for the same source',
      base: { configs: ['nginx_conf', 'other'] },
      override: { configs: [{ source: 'nginx_conf', target: '/nginx_conf', mode: 0o440 }] },
      expected: { configs: [{ source: 'nginx_conf', target: '/nginx_conf', mode: 0o440 }, 'other'] },
    },
    {
      name: 'configs at the same target replaced',
      base: { configs: [{ source: 'a', target: '/etc/app.conf' }] },
      override: { configs: [{ source: 'b', target: '/etc/app.conf' }, 'c'] },
      expected: { configs: [{ source: 'b', target: '/etc/app.conf' }, 'c'] },
    },
  ])('mergeService must merge $name', check);
});

describe('mergeService build', () => {
  it.each<Case>([
    {
      name: 'string context over string context',
      base: { build: './a' },
      override: { build: './b' },
      expected: { build: { context: './b' } },
    },
    {
      name: 'map over string context',
      base: { build: './a' },
      override: { build: { dockerfile: 'Dockerfile.dev', target: 'dev' } },
      expected: { build: { context: './a', dockerfile: 'Dockerfile.dev', target: 'dev' } },
    },
    {
      name: 'string context over map',
      base: { build: { context: './a', dockerfile: 'D', args: ['X=1'] } },
      override: { build: './b' },
      expected: { build: { context: './b', dockerfile: 'D', args: { X: '1' } } },
    },
    {
      name: 'build labels and extra_hosts in either form',
      base: { build: { labels: ['a=1'], extra_hosts: ['h:1.1.1.1'] } },
      override: { build: { labels: { b: '2' }, extra_hosts: { h: '2.2.2.2' } } },
      expected: { build: { labels: { a: '1', b: '2' }, extra_hosts: { h: '2.2.2.2' } } },
    },
  ])('mergeService must merge build: $name', check);
});

describe('mergeService purity', () => {
  it('mergeService must neither mutate its inputs nor share objects with them', () => {
    const base = { environment: { A: '1' }, volumes: [{ type: 'bind', source: '.', target: '/a' }], deploy: { resources: { limits: { cpus: '1' } } } };
    const override = { environment: ['B=2'], ports: ['80:80'], networks: { front: { aliases: ['x'] } } };
    const baseCopy = structuredClone(base);
    const overrideCopy = structuredClone(override);
    const merged = mergeService(base, override);
    expect(base).toEqual(baseCopy);
    expect(override).toEqual(overrideCopy);
    expect(merged.volumes).not.toBe(base.volumes);
    expect((merged.volumes as unknown[])[0]).not.toBe(base.volumes[0]);
    expect(merged.deploy).not.toBe(base.deploy);
    expect((merged.networks as Record<string, unknown>).front).not.toBe(override.networks.front);
  });

  it('mergeService must keep values of unexpected shape for validation to report', () => {
    expect(mergeService({ environment: ['A=1'] }, { environment: 42 })).toEqual({ environment: 42 });
    expect(mergeService({ ports: 'oops' }, {})).toEqual({ ports: 'oops' });
  });
});

describe('mergeDocuments', () => {
  it.each<Case>([
    {
      name: 'services merged per service with the service rules',
      base: { services: { api: { image: 'api:1', environment: ['A=1'] }, db: { image: 'pg' } } },
      override: { services: { api: { image: 'api:2', environment: { B: '2' } }, cache: { image: 'redis' } } },
      expected: {
        services: {
          api: { image: 'api:2', environment: { A: '1', B: '2' } },
          db: { image: 'pg' },
          cache: { image: 'redis' },
        },
      },
    },
    {
      name: 'a service in one file only still normalized by the rules',
      base: { services: { api: { depends_on: ['db'] } } },
      override: {},
      expected: { services: { api: { depends_on: { db: { condition: 'service_started' } } } } },
    },
    {
      name: 'networks merged per key (recursive, labels in either form)',
      base: {
        networks: {
          front: { driver: 'bridge', driver_opts: { a: '1' }, labels: ['x=1'] },
          back: null,
        },
      },
      override: {
        networks: { front: { driver_opts: { b: '2' }, labels: { y: '2' }, internal: true }, back: { external: true }, extra: {} },
      },
      expected: {
        networks: {
          front: { driver: 'bridge', driver_opts: { a: '1', b: '2' }, labels: { x: '1', y: '2' }, internal: true },
          back: { external: true },
          extra: {},
        },
      },
    },
    {
      name: 'network ipam pools merged by subnet',
      base: { networks: { n: { ipam: { driver: 'default', config: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1' }] } } } },
      override: {
        networks: { n: { ipam: { config: [{ subnet: '10.0.0.0/24', ip_range: '10.0.0.128/25' }, { subnet: '10.1.0.0/24' }] } } },
      },
      expected: {
        networks: {
          n: {
            ipam: {
              driver: 'default',
              config: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1', ip_range: '10.0.0.128/25' }, { subnet: '10.1.0.0/24' }],
            },
          },
        },
      },
    },
    {
      name: 'volumes merged per key',
      base: { volumes: { data: { driver: 'local', labels: { a: '1' } }, logs: null } },
      override: { volumes: { data: { driver: 'nfs', labels: ['b=2'] }, logs: null, cache: { external: true } } },
      expected: {
        volumes: { data: { driver: 'nfs', labels: { a: '1', b: '2' } }, logs: null, cache: { external: true } },
      },
    },
    {
      name: 'secrets and configs merged per key',
      base: { secrets: { pw: { file: './pw' } }, configs: { conf: { file: './a.conf' } } },
      override: { secrets: { pw: { environment: 'PW' } }, configs: { other: { content: 'x' } } },
      expected: {
        secrets: { pw: { file: './pw', environment: 'PW' } },
        configs: { conf: { file: './a.conf' }, other: { content: 'x' } },
      },
    },
    { name: 'name overridden', base: { name: 'one' }, override: { name: 'two' }, expected: { name: 'two' } },
    { name: 'name kept', base: { name: 'one' }, override: { services: {} }, expected: { name: 'one', services: {} } },
    {
      name: 'x-* keys replaced',
      base: { 'x-composelet': { a: 1, b: 2 }, 'x-list': [1] },
      override: { 'x-composelet': { c: 3 }, 'x-list': [2] },
      expected: { 'x-composelet': { c: 3 }, 'x-list': [2] },
    },
  ])('mergeDocuments must merge $name', ({ base, override, expected }) => {
    expect(mergeDocuments(base, override)).toEqual(expected);
  });

  it('mergeDocuments must not mutate its inputs', () => {
    const base = { services: { api: { image: 'a', ports: ['80:80'] } }, networks: { n: { labels: ['a=1'] } } };
    const override = { services: { api: { ports: ['81:81'] } }, networks: { n: { labels: ['b=2'] } } };
    const baseCopy = structuredClone(base);
    const overrideCopy = structuredClone(override);
    mergeDocuments(base, override);
    expect(base).toEqual(baseCopy);
    expect(override).toEqual(overrideCopy);
  });

  it('mergeDocuments must be associative over three files', () => {
    const a = { services: { api: { image: 'a', environment: ['A=1'], ports: ['80:80'] } } };
    const b = { services: { api: { environment: { B: '2' }, ports: ['81:81'], volumes: ['x:/x'] } } };
    const c = { services: { api: { environment: ['A=3'], volumes: ['y:/x'] } } };
    expect(mergeDocuments(mergeDocuments(a, b), c)).toEqual(mergeDocuments(a, mergeDocuments(b, c)));
    expect(mergeDocuments(mergeDocuments(a, b), c)).toEqual({
      services: { api: { image: 'a', environment: { A: '3', B: '2' }, ports: ['80:80', '81:81'], volumes: ['y:/x'] } },
    });
  });
});
