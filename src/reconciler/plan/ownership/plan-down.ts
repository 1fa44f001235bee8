import type { Project } from '../../../desired-state/model.js';
import { COMPOSE_NETWORK, COMPOSE_PROJECT, COMPOSE_VOLUME } from '../../labels.js';
import type { ObservedContainer, ObservedState } from '../../observe/observed-state.js';
import type { Plan } from '../plan.js';
import { ids, PlanBuilder } from '../plan-builder.js';
import { stopTimeoutSeconds } from '../plan-context.js';
import { addRemoval } from './plan-removal.js';
import { NOT_OWNED } from '../services/plan-resources.js';
import { servicesInDependencyOrder } from '../service-order.js';
import type { RecordedVolume } from '../plan-context.js';
import { isImplicitAnonymousVolumeName } from '../../../actuators/volume-spec.js';

// `down`: stop the project's containers in reverse dependency order (a service stops after the services
// that depend on it), remove them, then the project's networks and, with removeVolumes, its volumes and
// anonymous volumes. Only objects carrying the ownership label, and once a project is adopted the networks
// and volumes docker compose made for it; external resources are never removed.
// Without a desired state (manifests gone) everything owned goes, with no order among containers.

export interface DownOptions {
  removeVolumes: boolean;
  /** Remembered anonymous volumes (state/volume-record.ts): removed with removeVolumes when still there. */
  recordedVolumes?: RecordedVolume[];
}

export function planDown(desired: Project | null, observed: ObservedState, options: DownOptions): Plan {
  const projectName = desired?.name ?? observed.projectName;
  const builder = new PlanBuilder(projectName);
  const owned: ObservedContainer[] = [];
  for (const container of observed.containers) {
    if (container.owned) owned.push(container);
    else builder.note({ resourceId: `container:${container.name}`, message: NOT_OWNED });
  }

  const desiredServices = desired ? servicesInDependencyOrder(desired).reverse() : [];
  const known = new Set(desiredServices.map((service) => service.name));
  const stopsByService = new Map<string, number[]>();
  const removals: number[] = [];
  const take = (container: ObservedContainer, dependsOn: number[]) => {
    const service = container.service !== null ? desired?.services[container.service] : undefined;
    const { stop, remove } = addRemoval(builder, container, {
      service: container.service,
      cause: 'down',
      signal: service?.stopSignal ?? null,
      timeoutSeconds: stopTimeoutSeconds(service?.stopGracePeriodNs ?? null),
      preStop: service?.preStop ?? [],
      removeAnonymousVolumes: options.removeVolumes,
      dependsOn,
    });
    if (stop !== null && container.service !== null) {
      stopsByService.set(container.service, [...(stopsByService.get(container.service) ?? []), stop]);
    }
    removals.push(remove);
  };

  // Containers of no desired service first: nothing orders them.
  for (const container of owned) {
    if (container.service === null || !known.has(container.service)) take(container, []);
  }
  for (const service of desiredServices) {
    const dependents = desired?.graph.dependents[service.name] ?? [];
    const after = ids(...dependents.map((dependent) => stopsByService.get(dependent) ?? []));
    for (const container of owned) if (container.service === service.name) take(container, after);
    // Nothing of it stops: its dependencies still wait for its dependents.
    if (!stopsByService.has(service.name)) stopsByService.set(service.name, after);
  }

  const belongs = (labels: Record<string, string>) => labels[COMPOSE_PROJECT] === projectName;
  // An adopted project (no container of it left to docker compose) also takes down the networks and
  // volumes docker compose made for it: the ones it declares, carrying Compose's own labels.
  const adopted = desired !== null && observed.containers.every((container) => container.owned);
  const declaredNetworks = new Set(Object.values(desired?.networks ?? {}).map((network) => network.name));
  const declaredVolumes = new Set(Object.values(desired?.volumes ?? {}).map((volume) => volume.name));
  const ours = (resource: { name: string; owned: boolean; labels: Record<string, string> }, declared: ReadonlySet<string>, composeLabel: string) =>
    resource.owned || (adopted && declared.has(resource.name) && resource.labels[composeLabel] !== undefined);
  const externalNetworks = new Set(Object.values(desired?.networks ?? {}).filter((network) => network.external).map((network) => network.name));
  for (const network of observed.networks) {
    if (!belongs(network.labels) || externalNetworks.has(network.name)) continue;
    const resourceId = `network:${network.name}`;
    if (!ours(network, declaredNetworks, COMPOSE_NETWORK)) {
      builder.note({ resourceId, message: NOT_OWNED });
      continue;
    }
    builder.add({ kind: 'remove-network', resourceId, service: null, cause: 'down', dependsOn: removals, network: network.name });
  }

  if (options.removeVolumes) {
    const externalVolumes = new Set(Object.values(desired?.volumes ?? {}).filter((volume) => volume.external).map((volume) => volume.name));
    for (const volume of observed.volumes) {
      if (!belongs(volume.labels) || externalVolumes.has(volume.name)) continue;
      const resourceId = `volume:${volume.name}`;
      if (!ours(volume, declaredVolumes, COMPOSE_VOLUME)) {
        builder.note({ resourceId, message: NOT_OWNED });
        continue;
      }
      builder.add({ kind: 'remove-volume', resourceId, service: null, cause: 'down', dependsOn: removals, volume: volume.name });
    }
    for (const name of implicitAnonymousVolumes(owned, observed, options.recordedVolumes ?? [])) {
      // The engine removes a container's anonymous volumes with it only when they were never named: one
      // mounted again by name (a replacement's) stays, so each is removed here, gone already or not.
      builder.add({ kind: 'remove-volume', resourceId: `volume:${name}`, service: null, cause: 'down: anonymous', dependsOn: removals, volume: name, ignoreMissing: true });
    }
  }
  return builder.build();
}

/** Volumes the engine made for anonymous mounts of the owned containers, and remembered ones still there. */
function implicitAnonymousVolumes(owned: readonly ObservedContainer[], observed: ObservedState, recorded: readonly RecordedVolume[]): string[] {
  const names = new Set(owned.flatMap((container) => container.volumeMounts.map((mount) => mount.name)).filter(isImplicitAnonymousVolumeName));
  const present = new Set(observed.volumes.map((volume) => volume.name));
  for (const entry of recorded) if (present.has(entry.name) && isImplicitAnonymousVolumeName(entry.name)) names.add(entry.name);
  return [...names].sort();
}
