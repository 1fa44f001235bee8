import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../desired-state/load.js';
import { formatPath } from '../../desired-state/manifest-issue.js';
import type { Project } from '../../desired-state/model.js';
import { writeManifestTree } from '../../../test/support/manifest-files.js';
import { SWARM_RULES } from './swarm-rules.js';
import { validateForSwarm } from './validate-swarm.js';

// Every Swarm rule, from a real compose file on disk: where it must fire (and at which key), and the nearest
// thing that must not make it fire.

/** A project with `app` (its lines as given, under an image unless `build` replaces it) and `db`. */
function compose(options: { app?: string; top?: string; image?: boolean } = {}): string {
  const app = (options.app ?? '').split('\n').filter(Boolean).map((line) => `    ${line}`);
  return [
    ...(options.top ? [options.top] : []),
    'services:',
    '  app:',
    ...(options.image === false ? [] : ['    image: composelet/busybox:1']),
    ...app,
    '  db:',
    '    image: composelet/busybox:1',
    '',
  ].join('\n');
}

function load(text: string): Project {
  const directory = writeManifestTree({ 'compose.yaml': text, 'data/.keep': '' });
  const result = loadDesiredState(directory, { environment: {}, homeDir: directory });
  if (!result.ok) throw new Error(`the test manifest does not load: ${JSON.stringify(result.issues)}`);
  return result.state.projects[0]!;
}

function pathsOf(rule: string, text: string): string[] {
  return validateForSwarm(load(text))
    .filter((finding) => finding.rule === rule)
    .map((finding) => finding.path);
}

const FIRES: Array<[string, string, string[]]> = [
  ['container_name', compose({ app: 'container_name: app-1' }), ['services.app.container_name']],
  ['build', compose({ app: 'build: .', image: false }), ['services.app.build']],
  ['build (with image)', compose({ app: 'build: .' }), ['services.app.build']],
  ['privileged', compose({ app: 'privileged: true' }), ['services.app.privileged']],
  ['pid', compose({ app: 'pid: host' }), ['services.app.pid']],
  ['ipc', compose({ app: 'ipc: host' }), ['services.app.ipc']],
  ['security_opt', compose({ app: 'security_opt: ["no-new-privileges:true"]' }), ['services.app.security_opt']],
  ['devices', compose({ app: 'devices: ["/dev/null:/dev/null"]' }), ['services.app.devices']],
  ['post_start / pre_stop', compose({ app: 'post_start:\n  - command: "true"\npre_stop:\n  - command: "true"' }), ['services.app.post_start', 'services.app.pre_stop']],
  ['mac_address', compose({ app: 'mac_address: "02:42:ac:11:00:02"' }), ['services.app.mac_address']],
  ['shm_size', compose({ app: 'shm_size: 64m' }), ['services.app.shm_size']],
  ['network_mode', compose({ app: 'network_mode: host' }), ['services.app.network_mode']],
  ['links', compose({ app: 'links: [db]' }), ['services.app.links']],
  ['ports', compose({ app: 'ports: ["8080:80"]' }), ['services.app.ports']],
  ['ports[].host_ip', compose({ app: 'ports: ["8080:80", "127.0.0.1:8081:81"]' }), ['services.app.ports[1]']],
  ['ports[].host_ip', compose({ app: 'ports:\n  - { target: 80, published: 8080, host_ip: 10.0.0.1 }' }), ['services.app.ports[0].host_ip']],
  ['ports[].mode: host', compose({ top: 'x-composelet: { target: swarm }', app: 'deploy: { replicas: 2 }\nports:\n  - "8080:80"\n  - { target: 81, published: 8081, mode: host }' }), ['services.app.ports[1].mode']],
  ['ports', compose({ app: 'ports:\n  - { target: 81, published: 8081, mode: host }\n  - { target: 82, published: 8082, mode: ingress }' }), ['services.app.ports']],
  [
    'networks.<network>.ipv4_address',
    compose({ app: 'networks:\n  front: { ipv4_address: 172.28.0.5 }', top: 'networks:\n  front:\n    ipam: { config: [{ subnet: 172.28.0.0/16 }] }' }),
    ['services.app.networks.front.ipv4_address'],
  ],
  ['networks.<network>.driver', compose({ top: 'networks:\n  back: { driver: bridge }' }), ['networks.back.driver']],
  ['volumes (bind mount)', compose({ app: 'volumes: ["/cache", "./data:/data"]' }), ['services.app.volumes[1]']],
  ['volumes (anonymous)', compose({ app: 'volumes: ["./data:/data", "/cache"]' }), ['services.app.volumes[1]']],
  ['volumes (named, local driver)', compose({ app: 'volumes: ["store:/store"]', top: 'volumes:\n  store: {}' }), ['services.app.volumes[0]']],
  ['volumes_from', compose({ app: 'volumes_from: [db]' }), ['services.app.volumes_from']],
  ['restart', compose({ app: 'restart: "no"' }), ['services.app.restart']],
  ['restart', compose({ app: 'restart: on-failure:3' }), ['services.app.restart']],
  ['depends_on.<service>.restart', compose({ app: 'depends_on:\n  db: { condition: service_started, restart: true }' }), ['services.app.depends_on.db.restart']],
  ['deploy.resources.limits (in place)', compose({ app: 'mem_limit: 64m' }), ['services.app.mem_limit']],
  ['deploy.resources.limits (in place)', compose({ app: 'deploy:\n  resources:\n    limits: { memory: 64M }' }), ['services.app.deploy.resources.limits']],
  ['cpu_shares', compose({ app: 'cpu_shares: 512' }), ['services.app.cpu_shares']],
  ['memswap_limit', compose({ app: 'mem_limit: 64m\nmemswap_limit: 128m' }), ['services.app.memswap_limit']],
  ['x-composelet.healing', compose({ top: 'x-composelet:\n  healing: { enabled: false }' }), ['x-composelet.healing']],
  ['x-composelet.healing', compose({ app: 'x-composelet:\n  healing: { enabled: false }' }), ['services.app.x-composelet.healing']],
  ['x-composelet.rollout', compose({ top: 'x-composelet:\n  rollout: { order: start-first }' }), ['x-composelet.rollout']],
  ['x-composelet.adopt', compose({ top: 'x-composelet:\n  adopt: true' }), ['x-composelet.adopt']],
];

describe('the Swarm rules', () => {
  it.each(FIRES)('%s must fire (%#)', (rule, text, expected) => {
    expect(pathsOf(rule, text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['build', compose({ app: 'build: .' })],
    ['build (with image)', compose({ app: 'build: .', image: false })],
    ['ports[].host_ip', compose({ app: 'ports: ["0.0.0.0:8080:80", "8081:81"]' })],
    ['ports[].mode: host', compose({ top: 'x-composelet: { target: swarm }', app: 'deploy: { replicas: 2 }\nports: ["8080:80"]' })],
    ['ports[].mode: host', compose({ app: 'ports:\n  - { target: 81, published: 8081, mode: host }' })],
    ['ports[].mode: host', compose({ app: 'deploy: { mode: global }\nports:\n  - { target: 81, published: 8081, mode: host }' })],
    ['ports[].mode: host', compose({ top: 'x-composelet: { target: swarm }', app: 'deploy: { replicas: 3, placement: { max_replicas_per_node: 1 } }\nports:\n  - { target: 81, published: 8081, mode: host }' })],
    ['ports[].mode: host', compose({ top: 'x-composelet: { target: swarm }', app: 'deploy: { replicas: 2 }\nports:\n  - { target: 81, mode: host }' })],
    ['ports', compose({ app: 'ports:\n  - { target: 81, published: 8081, mode: host }' })],
    ['networks.<network>.driver', compose({ top: 'networks:\n  back: { driver: overlay }\n  outside: { external: true, name: outside }' })],
    ['volumes (named, local driver)', compose({ app: 'volumes: ["store:/store"]', top: 'volumes:\n  store: { driver: nfs-plugin }' })],
    ['volumes (named, local driver)', compose({ app: 'volumes: ["store:/store"]', top: 'volumes:\n  store: { external: true }' })],
    ['restart', compose({ app: 'restart: always\ndeploy:\n  restart_policy: { condition: on-failure }' })],
    ['depends_on.<service>.restart', compose({ app: 'depends_on:\n  db: { condition: service_started }' })],
    ['mac_address', compose({ app: 'networks: [default]' })],
  ])('%s must not fire on its near miss (%#)', (rule, text) => {
    expect(pathsOf(rule, text)).toEqual([]);
  });

  it('a plain service must raise no finding at all', () => {
    expect(validateForSwarm(load(compose({ app: 'environment: { MODE: plain }' })))).toEqual([]);
  });

  it('every rule must have a unique key, a reason and a fix, and a row where it fires', () => {
    const keys = SWARM_RULES.map((rule) => rule.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...new Set(FIRES.map(([rule]) => rule))].sort()).toEqual([...keys].sort());
    for (const rule of SWARM_RULES) {
      expect(rule.reason.length, rule.key).toBeGreaterThan(20);
      expect(rule.fix.length, rule.key).toBeGreaterThan(10);
    }
  });

  it('formatPath must give the paths the tables compare', () => {
    expect(formatPath(['services', 'app', 'ports', 1, 'mode'])).toBe('services.app.ports[1].mode');
  });
});
