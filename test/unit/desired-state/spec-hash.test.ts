import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import { writeManifestTree } from '../../support/manifest-files.js';

// The spec hash decides "recreate or not": stable for the same meaning, different for any change that
// needs a new container, unchanged by what the engine updates in place or what never needs a recreate.

const base = {
  image: 'composelet/busybox:1',
  command: ['sh', '-c', 'sleep 1000'],
  environment: { A: '1', B: '2' },
  ports: ['127.0.0.1:8080:80'],
  volumes: ['data:/data'],
  labels: { team: 'core' },
  mem_limit: '128m',
  cpus: 0.5,
  restart: 'always',
};

function hashOf(service: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const directory = writeManifestTree({
    'compose.yaml': stringify({ name: 'hashing', services: { s: service, other: { image: 'x' } }, volumes: { data: null }, ...extra }),
  });
  const result = loadDesiredState(directory, { environment: {} });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.state.projects[0]!.services.s!.specHash;
}

describe('spec hash', () => {
  const baseHash = hashOf(base);

  it('must be a SHA-256 that does not depend on the run or the machine', () => {
    // Golden value: changes only when the model or the hash deliberately change (then update it knowingly).
    expect(hashOf({ image: 'composelet/busybox:1', command: ['true'] })).toBe(
      'a497e6c3bf36edc9c964512d2b227139ac468ba2b7bbcb546a8f2b12eba48326',
    );
  });

  it("must follow the project's default logging (x-composelet.logging) where a service inherits it, and only there", () => {
    const rotated = { 'x-composelet': { logging: { driver: 'json-file', options: { 'max-size': '10m' } } } };
    const rotatedMore = { 'x-composelet': { logging: { driver: 'json-file', options: { 'max-size': '50m' } } } };
    expect(hashOf(base, rotated)).not.toBe(baseHash);
    expect(hashOf(base, rotatedMore)).not.toBe(hashOf(base, rotated));
    // the same logging written on the service: the same container, the same hash
    expect(hashOf({ ...base, logging: { driver: 'json-file', options: { 'max-size': '10m' } } })).toBe(hashOf(base, rotated));
    const own = { ...base, logging: { driver: 'local' } };
    expect(hashOf(own, rotatedMore)).toBe(hashOf(own));
  });

  it('must not change with the way the manifest is written', () => {
    const rewritten = {
      restart: 'always',
      cpus: '0.5',
      mem_limit: 134217728,
      labels: ['team=core'],
      volumes: [{ type: 'volume', source: 'data', target: '/data' }],
      ports: [{ target: 80, published: 8080, host_ip: '127.0.0.1' }],
      environment: ['B=2', 'A=1'],
      command: ['sh', '-c', 'sleep 1000'],
      image: 'composelet/busybox:1',
    };
    expect(hashOf(rewritten)).toBe(baseHash);
  });

  it.each<[string, Record<string, unknown>]>([
    ['memory limit', { mem_limit: '256m' }],
    ['cpus', { cpus: 1 }],
    ['pids limit', { pids_limit: 50 }],
    ['restart policy', { restart: 'unless-stopped' }],
    ['replicas', { scale: 1 }],
    ['depends_on', { depends_on: ['other'] }],
    ['profiles', { profiles: [] }],
    ['pull policy', { pull_policy: 'never' }],
    ['composelet settings', { 'x-composelet': { backup: { preset: 'postgres', schedule: '@daily' } } }],
    ['pull policy refresh period', { pull_policy: 'every_12h' }],
    ['update_config', { deploy: { update_config: { parallelism: 2, order: 'start-first' } } }],
    ['rollback_config', { deploy: { rollback_config: { parallelism: 2 } } }],
    ['the restart policy from deploy.restart_policy', { restart: undefined, deploy: { restart_policy: { condition: 'any' } } }],
  ])('must not change when only %s changes', (_field, change) => {
    expect(hashOf({ ...base, ...change })).toBe(baseHash);
  });

  const recreateRelevant = fc.oneof(
    fc.stringMatching(/^[a-z]{1,8}$/).map((tag) => ({ image: `composelet/busybox:${tag}x` })),
    fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 3 }).map((words) => ({ command: ['run', ...words] })),
    fc.stringMatching(/^[A-Z]{1,6}$/).map((key) => ({ environment: { ...base.environment, [`N_${key}`]: 'x' } })),
    fc.stringMatching(/^[a-z0-9]{1,8}$/).map((value) => ({ environment: { ...base.environment, A: `${value}!` } })),
    fc.integer({ min: 1, max: 65535 }).filter((port) => port !== 80).map((port) => ({ ports: [`127.0.0.1:8080:${port}`] })),
    fc.stringMatching(/^\/[a-z]{1,8}$/).filter((path) => path !== '/data').map((target) => ({ volumes: [`data:${target}`] })),
    fc.stringMatching(/^[a-z]{1,8}$/).map((value) => ({ labels: { team: `${value}-x` } })),
    fc.stringMatching(/^[a-z]{1,8}$/).map((user) => ({ user })),
    fc.stringMatching(/^\/[a-z]{1,8}$/).map((working_dir) => ({ working_dir })),
    fc.constantFrom({ privileged: true }, { read_only: true }, { init: true }, { tty: true }, { stdin_open: true }),
    fc.constantFrom({ cap_add: ['NET_ADMIN'] }, { cap_drop: ['ALL'] }, { security_opt: ['no-new-privileges:true'] }),
    fc.integer({ min: 1, max: 600 }).map((seconds) => ({ healthcheck: { test: ['CMD', 'true'], interval: `${seconds}s` } })),
    fc.stringMatching(/^[a-z]{1,8}$/).map((hostname) => ({ hostname })),
    fc.constantFrom({ stop_signal: 'SIGINT' }, { stop_grace_period: '42s' }, { network_mode: 'host' }, { shm_size: '1g' }),
    fc.constantFrom(
      { links: ['other'] },
      { links: ['other:alias'] },
      { platform: 'linux/amd64' },
      { runtime: 'runc' },
      { devices: ['/dev/null'] },
      { deploy: { resources: { reservations: { devices: [{ capabilities: ['gpu'] }] } } } },
      { volumes_from: ['other'] },
      { mac_address: '02:42:ac:11:00:02' },
      { ports: ['127.0.0.1:8080-8090:80'] },
    ),
  );

  it('must change for any change that needs a new container (property)', () => {
    fc.assert(
      fc.property(recreateRelevant, (change) => {
        expect(hashOf({ ...base, ...change })).not.toBe(baseHash);
      }),
      { numRuns: 60 },
    );
  });

  it('must be the same for the same input on every run (property)', () => {
    fc.assert(
      fc.property(recreateRelevant, (change) => {
        expect(hashOf({ ...base, ...change })).toBe(hashOf({ ...base, ...change }));
      }),
      { numRuns: 20 },
    );
  });
});
