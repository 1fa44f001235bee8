import { describe, expect, it } from 'vitest';
import {
  convergedContainer,
  convergedState,
  observedNetwork,
  orphanContainer,
  projectFromYaml,
  unownedContainer,
  withContainer,
} from '../../reconciler/observe/observed-builders.test-support.js';
import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';
import { pairContainers } from './pair-containers.js';
import { projectChanges } from './project-changes.js';
import { groupStrays } from './stray-services.js';

// Pairing desired with live before comparing: owned replicas, surplus, containers posing as a service,
// orphans, strays, and strangers on the project's networks.

const project = projectFromYaml(`
name: p
services:
  api: { image: busybox, networks: [backend] }
  web: { image: busybox, deploy: { replicas: 2 } }
networks:
  backend: {}
  shared: { external: true, name: shared-net }
`);

const stranger = (name: string, networks: string[], overrides: Partial<ObservedContainer> = {}): ObservedContainer => ({
  ...orphanContainer('elsewhere', 'x'),
  name,
  id: `${name}-id`.padEnd(64, '0'),
  project: null,
  service: null,
  owned: false,
  labels: {},
  networks,
  ...overrides,
});

describe('pairing containers with desired services', () => {
  it('a converged project must pair every replica and leave nothing over', () => {
    const observed = convergedState(project);
    const pairing = pairContainers(project, observed, observed.containers);
    expect(pairing.services.map((service) => [service.service.name, [...service.replicas.keys()], service.surplus.length, service.posing.length])).toEqual([
      ['api', [1], 0, 0],
      ['web', [1, 2], 0, 0],
    ]);
    expect(pairing).toMatchObject({ orphans: [], strays: [], unownedOnNetworks: [] });
    expect(projectChanges(project, observed, pairing)).toEqual([]);
  });

  it('hand-made containers must pose as their service by labels or by name; strays must stand alone', () => {
    let observed = convergedState(project);
    observed = { ...observed, containers: observed.containers.filter((container) => container.name !== 'p-api-1') };
    observed = withContainer(observed, unownedContainer(project, 'web', 3));
    observed = withContainer(observed, unownedContainer(project, 'web', 1, { service: 'retired', name: 'p-retired-1' }));
    const squatter = stranger('p-api-1', ['p_backend']);
    const pairing = pairContainers(project, observed, [...observed.containers, squatter]);
    const api = pairing.services.find((service) => service.service.name === 'api')!;
    const web = pairing.services.find((service) => service.service.name === 'web')!;
    expect(api.replicas.size).toBe(0);
    expect(api.posing.map((posing) => [posing.container.name, posing.how])).toEqual([['p-api-1', 'name']]);
    expect(web.posing.map((posing) => [posing.container.name, posing.how])).toEqual([['p-web-3', 'labels']]);
    expect(pairing.strays.map((container) => container.name)).toEqual(['p-retired-1']);
    // The squatter is reported as posing, not again as a stranger on the network.
    expect(pairing.unownedOnNetworks).toEqual([]);
    expect(groupStrays(pairing.orphans, pairing.strays)).toEqual([
      expect.objectContaining({ name: 'retired', status: 'foreign', changes: [expect.objectContaining({ category: 'foreign' })] }),
    ]);
  });

  it('owned containers of services no longer desired must be orphans, and replicas beyond the count surplus', () => {
    let observed = withContainer(convergedState(project), orphanContainer('p', 'gone'));
    observed = withContainer(observed, convergedContainer(project, 'web', 3));
    const pairing = pairContainers(project, observed, observed.containers);
    expect(pairing.orphans.map((orphan) => [orphan.container.name, orphan.reason])).toEqual([['p-gone-1', 'service removed from the manifests']]);
    expect(pairing.services.find((service) => service.service.name === 'web')!.surplus).toEqual([
      { container: expect.objectContaining({ name: 'p-web-3' }), cause: 'scaled down to 2' },
    ]);
  });

  it('only unowned containers outside the project on its own networks must be strangers', () => {
    const observed = convergedState(project);
    const everyContainer = [
      ...observed.containers,
      stranger('debug-shell', ['p_backend', 'bridge']),
      stranger('on-external', ['shared-net']),
      stranger('other-project', ['p_backend'], { owned: true }),
      stranger('elsewhere', ['bridge']),
    ];
    const pairing = pairContainers(project, observed, everyContainer);
    expect(pairing.unownedOnNetworks.map((entry) => [entry.container.name, entry.networks])).toEqual([['debug-shell', ['p_backend']]]);
    expect(projectChanges(project, observed, pairing)).toEqual([
      expect.objectContaining({ category: 'unowned', container: 'debug-shell', path: '/networks/p_backend/containers/debug-shell' }),
    ]);
  });

  it('a missing network must be reported, and one made by hand under its name must be foreign', () => {
    const converged = convergedState(project);
    const withoutNetworks = { ...converged, networks: [] };
    expect(projectChanges(project, withoutNetworks, pairContainers(project, withoutNetworks, []))).toEqual([
      expect.objectContaining({ category: 'missing', path: '/networks/p_backend', reason: 'network p_backend is missing' }),
      expect.objectContaining({ category: 'missing', path: '/networks/p_default', reason: 'network p_default is missing' }),
    ]);
    const handMade = { ...converged, networks: converged.networks.map((network) => (network.name === 'p_backend' ? observedNetwork('p', 'p_backend', { owned: false }) : network)) };
    expect(projectChanges(project, handMade, pairContainers(project, handMade, []))).toEqual([
      expect.objectContaining({ category: 'foreign', path: '/networks/p_backend' }),
    ]);
  });
});
