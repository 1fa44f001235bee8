import type { Network, Project, Service, Volume } from '../../../desired-state/model.js';
import type { ObservedNetwork, ObservedVolume } from '../../observe/observed-state.js';
import type { PlanContext } from '../plan-context.js';
import { COMPOSE_PROJECT } from '../../labels.js';

// Networks and volumes the desired services use: create what is missing, report an external one that is
// missing (nothing composelet may create), and leave alone one that exists without the ownership label.
// Containers depend on the create operations of the networks and volumes they use.

export const NOT_OWNED = 'not owned by composelet: left alone';
/** A network or volume with the project's compose labels (docker compose made it): used as it is, never recreated. */
export const MADE_BY_COMPOSE = 'made by docker compose: used as it is';

export interface ResourcePlan {
  /** `network:x` / `volume:y` -> the create operation planned for it. */
  operations: Map<string, number>;
  /** `network:x` / `volume:y` of external resources that are missing. */
  missing: Set<string>;
}

/** Networks a service's containers join (none with network_mode). */
export function networksOf(project: Project, service: Service): Network[] {
  if (service.networkMode !== null) return [];
  return Object.keys(service.networks)
    .map((key) => project.networks[key])
    .filter((network): network is Network => network !== undefined);
}

/** Named volumes a service mounts. */
export function volumesOf(project: Project, service: Service): Volume[] {
  const volumes: Volume[] = [];
  for (const mount of service.volumes) {
    if (mount.type !== 'volume' || mount.source === null) continue;
    const volume = project.volumes[mount.source];
    if (volume && !volumes.includes(volume)) volumes.push(volume);
  }
  return volumes;
}

export function planResources(context: PlanContext, services: readonly Service[]): ResourcePlan {
  const plan: ResourcePlan = { operations: new Map(), missing: new Set() };
  const networks = unique(services.flatMap((service) => networksOf(context.project, service)));
  const volumes = unique(services.flatMap((service) => volumesOf(context.project, service)));
  for (const network of networks) {
    planResource(context, plan, {
      kind: 'network',
      name: network.name,
      external: network.external,
      observed: context.observed.networks.find((candidate) => candidate.name === network.name),
      create: (resourceId) =>
        context.builder.add({
          kind: 'create-network',
          resourceId,
          service: null,
          cause: 'not found',
          dependsOn: [],
          network,
          projectName: context.project.name,
        }),
    });
  }
  for (const volume of volumes) {
    planResource(context, plan, {
      kind: 'volume',
      name: volume.name,
      external: volume.external,
      observed: context.observed.volumes.find((candidate) => candidate.name === volume.name),
      create: (resourceId) =>
        context.builder.add({
          kind: 'create-volume',
          resourceId,
          service: null,
          cause: 'not found',
          dependsOn: [],
          volume,
          projectName: context.project.name,
        }),
    });
  }
  return plan;
}

interface ResourceToEnsure {
  kind: 'network' | 'volume';
  name: string;
  external: boolean;
  observed: ObservedNetwork | ObservedVolume | undefined;
  create: (resourceId: string) => number;
}

function planResource(context: PlanContext, plan: ResourcePlan, resource: ResourceToEnsure): void {
  const resourceId = `${resource.kind}:${resource.name}`;
  if (resource.observed) {
    if (!resource.external && !resource.observed.owned) {
      const composeMade = resource.observed.labels[COMPOSE_PROJECT] === context.project.name;
      context.builder.note({ resourceId, message: composeMade ? MADE_BY_COMPOSE : NOT_OWNED });
    }
    return;
  }
  if (resource.external) {
    plan.missing.add(resourceId);
    context.builder.problem({
      service: null,
      resourceId,
      message: `external ${resource.kind} "${resource.name}" not found: create it, or drop \`external: true\``,
    });
    return;
  }
  plan.operations.set(resourceId, resource.create(resourceId));
}

/** The create operations a service's containers wait for, and whether a missing external one blocks it. */
export function resourceNeeds(
  context: PlanContext,
  resources: ResourcePlan,
  service: Service,
): { operations: number[]; blocked: boolean } {
  const operations: number[] = [];
  let blocked = false;
  const consider = (kind: 'network' | 'volume', name: string) => {
    const resourceId = `${kind}:${name}`;
    const operation = resources.operations.get(resourceId);
    if (operation !== undefined) operations.push(operation);
    if (resources.missing.has(resourceId)) blocked = true;
  };
  for (const network of networksOf(context.project, service)) consider('network', network.name);
  for (const volume of volumesOf(context.project, service)) consider('volume', volume.name);
  return { operations, blocked };
}

function unique<Item extends { name: string }>(items: readonly Item[]): Item[] {
  const byName = new Map<string, Item>();
  for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item);
  return [...byName.values()].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}
