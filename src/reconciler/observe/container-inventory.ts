import type { Project } from '../../desired-state/model.js';
import { COMPOSE_ONEOFF } from '../labels.js';
import type { ObservedContainer } from './observed-state.js';

// The project's containers sorted out before planning: the ones composelet owns, by desired service; the
// owned ones no desired service claims (orphans); and the ones without the ownership label, which are
// never touched unless the project is adopted: those among them that stand for a desired service (made by
// docker compose, or by hand with its labels) are what adoption takes over. One-off containers (`run`)
// belong to no replica set and are left out.

export interface Orphan {
  container: ObservedContainer;
  /** Why no desired service claims it. */
  reason: string;
}

export interface ContainerInventory {
  byService: Map<string, ObservedContainer[]>;
  orphans: Orphan[];
  unowned: ObservedContainer[];
  /** The unowned containers that carry a desired service's labels (docker compose made them), by service. */
  composeMade: Map<string, ObservedContainer[]>;
}

export function takeInventory(project: Project, containers: readonly ObservedContainer[]): ContainerInventory {
  const inventory: ContainerInventory = { byService: new Map(), orphans: [], unowned: [], composeMade: new Map() };
  for (const container of [...containers].sort(byName)) {
    if (container.labels[COMPOSE_ONEOFF] === 'True') continue;
    if (!container.owned) {
      inventory.unowned.push(container);
      if (container.service !== null && container.service in project.services) {
        inventory.composeMade.set(container.service, [...(inventory.composeMade.get(container.service) ?? []), container]);
      }
      continue;
    }
    const service = container.service;
    if (service !== null && service in project.services) {
      const list = inventory.byService.get(service) ?? [];
      list.push(container);
      inventory.byService.set(service, list);
      continue;
    }
    const reason =
      service === null
        ? 'no service label'
        : project.inactiveServices.includes(service)
          ? 'service not in the active profiles'
          : 'service removed from the manifests';
    inventory.orphans.push({ container, reason });
  }
  return inventory;
}

/**
 * One container per replica number (the one under its final name, else the newest), and the rest: numbers
 * beyond `replicas` (scale down) or duplicates of a number (an interrupted replacement).
 */
export function assignReplicas(
  containers: readonly ObservedContainer[],
  replicas: number,
  finalName: (number: number) => string,
): { kept: Map<number, ObservedContainer>; surplus: Array<{ container: ObservedContainer; cause: string }> } {
  const kept = new Map<number, ObservedContainer>();
  const surplus: Array<{ container: ObservedContainer; cause: string }> = [];
  for (let number = 1; number <= replicas; number++) {
    const candidates = containers.filter((container) => container.number === number).sort(preferred(finalName(number)));
    const [keeper, ...duplicates] = candidates;
    if (keeper) kept.set(number, keeper);
    for (const duplicate of duplicates) surplus.push({ container: duplicate, cause: `duplicate of replica ${number}` });
  }
  const beyond = containers
    .filter((container) => container.number === null || container.number < 1 || container.number > replicas)
    .sort((left, right) => (right.number ?? 0) - (left.number ?? 0) || byName(left, right));
  for (const container of beyond) surplus.push({ container, cause: `scaled down to ${replicas}` });
  return { kept, surplus };
}

function preferred(finalName: string): (left: ObservedContainer, right: ObservedContainer) => number {
  return (left, right) =>
    Number(right.name === finalName) - Number(left.name === finalName) || right.created - left.created || byName(left, right);
}

function byName(left: { name: string }, right: { name: string }): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}
