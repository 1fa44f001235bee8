import { SPEC_HASH } from '../reconciler/labels.js';
import type { ObservedContainer } from '../reconciler/observe/observed-state.js';
import type { Operation, Plan } from '../reconciler/plan/plan.js';
import type { SpecHashes } from './audit-entry.js';

// The spec hashes an audit entry records for a container resource (`container:NAME`), read from the plan
// and the snapshot it was made from, never from the engine:
//   before: the spec hash label of the observed container of that name (null when there was none);
//   after:  the hash the plan means the resource to have once it has run: the hash of the container the
//           plan creates under that name, null when the plan only removes it, else unchanged (before).
// Every operation on one container shares the pair, so a recreate's create, stop, remove, rename and start
// all read "old -> new". Networks, volumes and images have no spec hash: null and null.

export function specHashesFromPlan(plan: Plan, observedContainers: readonly ObservedContainer[]): SpecHashes {
  const observedByResource = new Map(observedContainers.map((container) => [`container:${container.name}`, container.specHash]));
  const created = new Map<string, string | null>();
  const removed = new Set<string>();
  for (const operation of plan.operations) {
    if (operation.kind === 'create-container') created.set(operation.resourceId, operation.spec.Labels[SPEC_HASH] ?? null);
    if (operation.kind === 'remove-container') removed.add(operation.resourceId);
  }
  const before = (operation: Operation) => (isContainerResource(operation) ? (observedByResource.get(operation.resourceId) ?? null) : null);
  return {
    before,
    after(operation) {
      if (!isContainerResource(operation)) return null;
      if (created.has(operation.resourceId)) return created.get(operation.resourceId) ?? null;
      if (removed.has(operation.resourceId)) return null;
      return before(operation);
    },
  };
}

function isContainerResource(operation: Operation): boolean {
  return operation.resourceId.startsWith('container:');
}
