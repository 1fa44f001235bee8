import type { Operation } from '../plan/plan.js';

// The order in which the executor hands ready operations their engine slots: the longest chain of work
// still behind an operation first, so the container that a dependent tier waits on (create, start, its
// healthcheck) is not queued behind leaves that nothing waits for. Order only: what runs, and after what,
// stays the plan's. A wait weighs more than an engine call (it lasts a healthcheck interval or more).

const WAIT_WEIGHT = 10;

/** Operation ids, those with the heaviest chain of dependents first; ties keep the plan's id order. */
export function scheduleOrder(operations: readonly Operation[]): number[] {
  const byId = new Map(operations.map((operation) => [operation.id, operation] as const));
  const dependentsLeft = new Map<number, number>(operations.map((operation) => [operation.id, 0]));
  for (const operation of operations) {
    for (const dependency of operation.dependsOn) if (dependentsLeft.has(dependency)) dependentsLeft.set(dependency, dependentsLeft.get(dependency)! + 1);
  }
  // From the operations nothing depends on back to the first ones (Kahn's order on the reversed graph);
  // operations in a dependency cycle are never reached and weigh nothing.
  const behind = new Map<number, number>(operations.map((operation) => [operation.id, 0]));
  const ready = operations.filter((operation) => dependentsLeft.get(operation.id) === 0).map((operation) => operation.id);
  while (ready.length > 0) {
    const id = ready.pop()!;
    const operation = byId.get(id)!;
    const chain = behind.get(id)! + (operation.kind === 'wait' ? WAIT_WEIGHT : 1);
    for (const dependency of operation.dependsOn) {
      if (!byId.has(dependency)) continue;
      behind.set(dependency, Math.max(behind.get(dependency)!, chain));
      const left = dependentsLeft.get(dependency)! - 1;
      dependentsLeft.set(dependency, left);
      if (left === 0) ready.push(dependency);
    }
  }
  return operations
    .map((operation) => ({ id: operation.id, weight: behind.get(operation.id)! }))
    .sort((left, right) => right.weight - left.weight || left.id - right.id)
    .map((entry) => entry.id);
}
