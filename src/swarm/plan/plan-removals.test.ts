import { describe, expect, it } from 'vitest';
import type { DesiredSwarm } from '../mapping/desired-swarm.js';
import { withSpecHash } from '../mapping/service-spec.js';
import type { ServiceSpec } from '../mapping/swarm-types.js';
import { observedSwarm, service } from '../observe/observed-swarm.test-support.js';
import type { ObservedSwarm } from '../observe/observed-swarm.js';
import { planSwarm } from './plan-swarm.js';
import { renderSwarmPlan } from './swarm-plan.js';

const OWNED = { 'com.docker.compose.project': 'demo', 'io.composelet.managed': 'true' };

function apiSpec(config: string): ServiceSpec {
  return withSpecHash({
    Name: 'demo_api',
    Labels: { ...OWNED, 'com.docker.compose.service': 'api' },
    TaskTemplate: { ContainerSpec: { Image: 'busybox', Configs: [{ ConfigName: config, File: { Name: '/c', UID: '0', GID: '0', Mode: 0o444 } }] } },
    Mode: { Replicated: { Replicas: 1 } },
  });
}

function desired(config = 'demo_conf_new'): DesiredSwarm {
  return {
    projectName: 'demo',
    networks: [{ Name: 'demo_default', Driver: 'overlay', Attachable: true, Internal: false, Labels: OWNED, Options: {} }],
    fileObjects: [{ kind: 'config', Name: config, Labels: { ...OWNED, 'io.composelet.swarm.file-key': 'conf' }, content: 'x' }],
    services: { api: apiSpec(config) },
    dependencies: { api: [] },
  };
}

/** The cluster as composelet left it: api on `config`, plus what `extra` adds. */
function observed(config: string, extra: Partial<ObservedSwarm> = {}): ObservedSwarm {
  const spec = apiSpec(config);
  return observedSwarm({
    services: [service({ labels: spec.Labels, spec: JSON.parse(JSON.stringify(spec)) }), ...(extra.services ?? [])],
    networks: [{ id: 'net1', name: 'demo_default', labels: OWNED }, ...(extra.networks ?? [])],
    configs: [{ id: `id-${config}`, name: config, labels: { ...OWNED, 'io.composelet.swarm.file-key': 'conf' } }, ...(extra.configs ?? [])],
    secrets: extra.secrets ?? [],
  });
}

const orphanService = service({ id: 'svc-old', name: 'demo_worker', labels: { ...OWNED, 'com.docker.compose.service': 'worker' } });
const unownedService = service({ id: 'svc-x', name: 'demo_worker2', labels: { 'com.docker.compose.project': 'demo' } });
const orphanNetwork = { id: 'net-old', name: 'demo_backend', labels: OWNED };
const orphanSecret = { id: 'sec-old', name: 'demo_token_abc', labels: { ...OWNED, 'io.composelet.swarm.file-key': 'token' } };

describe('planSwarm: what the project owns and no longer declares', () => {
  it.each<[string, ObservedSwarm, boolean, string]>([
    ['nothing dropped', observed('demo_conf_new'), false, 'nothing to do'],
    [
      'orphans are kept and noted without --prune; an unowned service is not mentioned',
      observed('demo_conf_new', { services: [orphanService, unownedService], networks: [orphanNetwork], secrets: [orphanSecret] }),
      false,
      [
        '- service:demo_worker: orphan (service no longer in the manifests): kept; apply with --prune to remove',
        '- network:demo_backend: orphan (network no longer in the manifests): kept; apply with --prune to remove',
        '- secret:demo_token_abc: orphan (secret no longer in the manifests): kept; apply with --prune to remove',
      ].join('\n'),
    ],
    [
      'with --prune they are removed, networks after the services; the unowned service is left alone',
      observed('demo_conf_new', { services: [orphanService, unownedService], networks: [orphanNetwork], secrets: [orphanSecret] }),
      true,
      [
        'remove-service service:demo_worker (orphan: service no longer in the manifests)',
        'remove-network network:demo_backend (orphan: network no longer in the manifests) after service:demo_worker',
        'remove-file-object secret:demo_token_abc (orphan: secret no longer in the manifests)',
      ].join('\n'),
    ],
    [
      'an old config version is removed without --prune, after the wait of the update that replaced it',
      observed('demo_conf_old'),
      false,
      [
        'create-file-object config:demo_conf_new (not found (content changed or first deploy))',
        'update-service service:demo_api (spec differs at /TaskTemplate/ContainerSpec/Configs/0/ConfigName) after config:demo_conf_new',
        'wait-service wait:demo_api (its tasks running (healthy where it has a healthcheck)) after service:demo_api',
        'remove-file-object config:demo_conf_old (old version of config conf: replaced, no service uses it) after wait:demo_api',
      ].join('\n'),
    ],
    [
      'an old version still used by a service composelet keeps is kept',
      observed('demo_conf_new', { services: [service({ id: 'svc-old', name: 'demo_worker', labels: orphanService.labels, spec: apiSpec('demo_conf_old') as never })], configs: [{ id: 'old', name: 'demo_conf_old', labels: { ...OWNED, 'io.composelet.swarm.file-key': 'conf' } }] }),
      false,
      [
        '- service:demo_worker: orphan (service no longer in the manifests): kept; apply with --prune to remove',
        '- config:demo_conf_old: old version: kept while demo_worker uses it',
      ].join('\n'),
    ],
  ])('%s', (_name, cluster, prune, expected) => {
    expect(renderSwarmPlan(planSwarm(desired(), cluster, { prune }))).toBe(expected);
  });
});
