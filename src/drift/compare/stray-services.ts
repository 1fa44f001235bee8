import type { Orphan } from '../../reconciler/observe/container-inventory.js';
import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';
import { brief, orphanChange, posingChange } from './container-changes.js';
import type { ServiceDrift } from '../model.js';

// Containers of the project that stand for no desired service, as service entries of their own: owned
// ones are orphans (the service left the manifests or the active profiles); hand-made ones with the
// project's labels are foreign. Grouped by their service label (the container name when it has none).

export function groupStrays(orphans: readonly Orphan[], strays: readonly ObservedContainer[]): ServiceDrift[] {
  const services = new Map<string, ServiceDrift>();
  const entry = (name: string, status: 'orphan' | 'foreign') => {
    const key = `${status}\u0000${name}`;
    let service = services.get(key);
    if (service === undefined) {
      service = { name, status, replicas: 0, containers: [], changes: [] };
      services.set(key, service);
    }
    return service;
  };
  for (const { container, reason } of orphans) {
    const service = entry(container.service ?? container.name, 'orphan');
    service.containers.push(brief(container));
    service.changes.push(orphanChange(container, reason));
  }
  for (const container of strays) {
    const name = container.service ?? container.name;
    const service = entry(name, 'foreign');
    service.containers.push(brief(container));
    service.changes.push(posingChange({ container, how: 'labels' }, name, { desired: false }));
  }
  return [...services.values()].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}
