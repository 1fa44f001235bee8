import type { ContainerInventory } from '../../observe/container-inventory.js';
import type { PlanContext } from '../plan-context.js';
import { addRemoval } from './plan-removal.js';
import { NOT_OWNED } from '../services/plan-resources.js';

// Containers no desired service claims. Owned ones are orphans: kept and reported, removed only with
// --prune (deletion of what is not in the manifests is opt-in). Unowned ones are never touched, except
// the compose-made containers of desired services when the project is adopted (plan-adoption.ts).

export function planOrphans(context: PlanContext, inventory: ContainerInventory): void {
  const adopted = new Set(context.options.adopt === true ? [...inventory.composeMade.values()].flat() : []);
  for (const container of inventory.unowned) {
    if (adopted.has(container)) continue;
    context.builder.note({ resourceId: `container:${container.name}`, message: NOT_OWNED });
  }
  for (const { container, reason } of inventory.orphans) {
    if (!context.options.prune) {
      context.builder.note({
        resourceId: `container:${container.name}`,
        message: `orphan (${reason}): kept; apply with --prune to remove`,
      });
      continue;
    }
    addRemoval(context.builder, container, { service: container.service, cause: `orphan: ${reason}` });
  }
}
