import type { Project, Service } from '../../desired-state/model.js';
import { assignReplicas, takeInventory, type Orphan } from '../../reconciler/observe/container-inventory.js';
import { COMPOSE_ONEOFF, COMPOSE_PROJECT } from '../../reconciler/labels.js';
import { compareText } from '../../reconciler/observe/observe-parse.js';
import { containerName } from '../../reconciler/naming.js';
import type { ObservedContainer, ObservedState } from '../../reconciler/observe/observed-state.js';
import { networksOf } from '../../reconciler/plan/services/plan-resources.js';

// Pair desired with live before anything is compared (gitops-engine's first step): each desired service
// gets its owned containers by replica number (as the planner assigns them), its surplus, and the
// containers posing as it without composelet's ownership: the project's compose labels without the
// ownership label, or its container name held by a container outside the project. Also sorted out:
// orphans (owned, service no longer desired), hand-made containers of services that are not desired, and
// containers composelet does not own on the project's networks. Pure.

export interface PosingContainer {
  container: ObservedContainer;
  /** labels: the project's compose labels without ownership; name: the service's container name. */
  how: 'labels' | 'name';
}

export interface ServicePairing {
  service: Service;
  /** Replica number -> the owned container that holds it. */
  replicas: Map<number, ObservedContainer>;
  /** Owned containers beyond the replica count, or duplicates of a number. */
  surplus: Array<{ container: ObservedContainer; cause: string }>;
  posing: PosingContainer[];
}

export interface ProjectPairing {
  services: ServicePairing[];
  orphans: Orphan[];
  /** Hand-made containers with the project's labels naming a service that is not desired. */
  strays: ObservedContainer[];
  /** Containers outside the project, not owned by composelet, attached to its networks. */
  unownedOnNetworks: Array<{ container: ObservedContainer; networks: string[] }>;
}

/**
 * `observed` is the project's snapshot (containers by project label); `everyContainer` is every
 * container on the engine (for name squatters and network neighbours).
 */
export function pairContainers(project: Project, observed: ObservedState, everyContainer: readonly ObservedContainer[]): ProjectPairing {
  const inventory = takeInventory(project, observed.containers);
  const desiredNames = new Map<string, Service>();
  for (const service of Object.values(project.services)) {
    for (let number = 1; number <= service.replicas; number++) desiredNames.set(containerName(project, service, number), service);
  }
  const outside = everyContainer.filter((container) => container.project !== project.name);
  const squatters = outside.filter((container) => desiredNames.has(container.name));

  const services = Object.values(project.services)
    .sort((left, right) => compareText(left.name, right.name))
    .map((service): ServicePairing => {
      const { kept, surplus } = assignReplicas(inventory.byService.get(service.name) ?? [], service.replicas, (number) =>
        containerName(project, service, number),
      );
      const posing: PosingContainer[] = [
        ...inventory.unowned.filter((container) => container.service === service.name).map((container) => ({ container, how: 'labels' as const })),
        ...squatters.filter((container) => desiredNames.get(container.name) === service).map((container) => ({ container, how: 'name' as const })),
      ];
      return { service, replicas: kept, surplus, posing };
    });

  const strays = inventory.unowned.filter((container) => container.service === null || !(container.service in project.services));
  const networks = projectNetworks(project, observed);
  const squatterIds = new Set(squatters.map((container) => container.id));
  const unownedOnNetworks = outside
    .filter((container) => !container.owned && !squatterIds.has(container.id) && container.labels[COMPOSE_ONEOFF] !== 'True')
    .map((container) => ({ container, networks: container.networks.filter((network) => networks.has(network)) }))
    .filter((entry) => entry.networks.length > 0)
    .sort((left, right) => compareText(left.container.name, right.container.name));

  return { services, orphans: inventory.orphans, strays, unownedOnNetworks };
}

/** The networks the project's services use that are not external, and those labelled with the project. */
export function projectNetworks(project: Project, observed: ObservedState): Set<string> {
  const names = new Set<string>();
  for (const service of Object.values(project.services)) {
    for (const network of networksOf(project, service)) if (!network.external) names.add(network.name);
  }
  for (const network of observed.networks) {
    const external = Object.values(project.networks).some((desired) => desired.external && desired.name === network.name);
    if (network.labels[COMPOSE_PROJECT] === project.name && !external) names.add(network.name);
  }
  return names;
}

