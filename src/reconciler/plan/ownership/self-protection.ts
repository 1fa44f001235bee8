import type { ObservedContainer } from '../../observe/observed-state.js';
import type { Operation, Plan } from '../plan.js';

// A controller that runs as a container of a stack it manages must never recreate, stop or remove
// itself: it would die in the middle of its own plan. Its service is held from recreates when planning
// (converged in place, PlanOptions.holdRecreates), and any operation left that stops, removes or renames
// its container (an unhealthy restart, an orphan pruned, a project gone) is taken out of the plan with
// everything that depends on it.

export interface SelfContainer {
  id: string;
  name: string;
  service: string | null;
}

export const SELF_HOLD_REASON = 'it is the container this controller runs in (composelet never recreates or stops itself)';

export function findSelf(containers: readonly ObservedContainer[], selfContainerId: string | null): SelfContainer | null {
  if (selfContainerId === null) return null;
  const container = containers.find((candidate) => candidate.id === selfContainerId);
  return container ? { id: container.id, name: container.name, service: container.service } : null;
}

const ENDS_A_CONTAINER = new Set<Operation['kind']>(['stop-container', 'remove-container', 'rename-container']);

function targetsSelf(operation: Operation, self: SelfContainer): boolean {
  if (!ENDS_A_CONTAINER.has(operation.kind)) return false;
  const target = (operation as { container: string }).container;
  return target === self.id || target === self.name;
}

/** The plan without the operations that would end the controller's own container, nor those after them. */
export function withoutSelf(plan: Plan, self: SelfContainer): { plan: Plan; skipped: Operation[] } {
  const dropped = new Set<number>();
  for (const operation of plan.operations) {
    // Operations come after what they depend on: one pass carries the drop down the dependencies.
    const afterDropped = operation.dependsOn.some((id) => dropped.has(id));
    const fallbackOfDropped = operation.onFailureOf !== undefined && operation.onFailureOf.every((id) => dropped.has(id));
    if (targetsSelf(operation, self) || afterDropped || fallbackOfDropped) dropped.add(operation.id);
  }
  if (dropped.size === 0) return { plan, skipped: [] };
  const kept = plan.operations.filter((operation) => !dropped.has(operation.id));
  const newId = new Map(kept.map((operation, index) => [operation.id, index]));
  const renumber = (ids: number[]) => ids.filter((id) => newId.has(id)).map((id) => newId.get(id) as number);
  const operations = kept.map((operation) => ({
    ...operation,
    id: newId.get(operation.id) as number,
    dependsOn: renumber(operation.dependsOn),
    ...(operation.onFailureOf ? { onFailureOf: renumber(operation.onFailureOf) } : {}),
  })) as Operation[];
  return {
    plan: {
      ...plan,
      operations,
      notes: [...plan.notes, { resourceId: `container:${self.name}`, message: `not stopped or removed: ${SELF_HOLD_REASON}` }],
      adoptions: plan.adoptions.map((adoption) => ({ ...adoption, operations: renumber(adoption.operations) })),
    },
    skipped: plan.operations.filter((operation) => dropped.has(operation.id)),
  };
}
