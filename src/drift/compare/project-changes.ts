import type { Project } from '../../desired-state/model.js';
import type { ObservedState } from '../../reconciler/observe/observed-state.js';
import { networksOf, volumesOf } from '../../reconciler/plan/services/plan-resources.js';
import { danglingVolumes } from '../../reconciler/plan/volumes/plan-anonymous-volumes.js';
import type { RecordedVolume } from '../../reconciler/plan/plan-context.js';
import { danglingVolumeChange, missingResourceChange, unownedChange, unownedResourceChange } from './container-changes.js';
import type { DriftChange } from '../model.js';
import type { ProjectPairing } from './pair-containers.js';

// What belongs to no one service: networks and volumes the services use that are missing (or exist
// without composelet's ownership though not declared external), and containers composelet does not own
// attached to the project's networks, and anonymous volumes no service needs any more (the planner's own
// rule, plan-anonymous-volumes.ts). Pure.

export function projectChanges(project: Project, observed: ObservedState, pairing: ProjectPairing, recordedVolumes: readonly RecordedVolume[] = []): DriftChange[] {
  const changes: DriftChange[] = [];
  const services = Object.values(project.services);
  const resources = [
    ...unique(services.flatMap((service) => networksOf(project, service))).map((network) => ({ kind: 'network' as const, ...network, found: observed.networks.find((candidate) => candidate.name === network.name) })),
    ...unique(services.flatMap((service) => volumesOf(project, service))).map((volume) => ({ kind: 'volume' as const, ...volume, found: observed.volumes.find((candidate) => candidate.name === volume.name) })),
  ];
  for (const resource of resources) {
    if (resource.found === undefined) changes.push(missingResourceChange(resource.kind, resource.name, resource.external));
    else if (!resource.external && !resource.found.owned) changes.push(unownedResourceChange(resource.kind, resource.name));
  }
  for (const { container, networks } of pairing.unownedOnNetworks) {
    for (const network of networks) changes.push(unownedChange(container, network));
  }
  for (const volume of danglingVolumes(project, observed, recordedVolumes)) changes.push(danglingVolumeChange(volume));
  return changes;
}

function unique<T extends { name: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items
    .filter((item) => (seen.has(item.name) ? false : (seen.add(item.name), true)))
    .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}
