import type { ContainerInventory } from '../../observe/container-inventory.js';
import type { PlanProblem } from '../plan.js';

// A project docker compose runs is never changed behind the operator's back: without adoption the plan
// holds no operation at all (nothing is created beside a compose container, so no duplicate and no port
// clash), only this one problem saying what runs and how to take it over.

export const ADOPT_HINT = 'take it over with `composelet adopt PATH` (or `apply --adopt`; the controller: `run --adopt` or `x-composelet: { adopt: true }`)';

/** `api (demo_api_1), db (demo-db-1)`: the compose-made containers standing for desired services. */
export function composeMadeSummary(inventory: Pick<ContainerInventory, 'composeMade'>): string {
  return [...inventory.composeMade]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([service, containers]) => `${service} (${containers.map((container) => container.name).join(', ')})`)
    .join(', ');
}

export function notAdoptedProblem(projectName: string, inventory: Pick<ContainerInventory, 'composeMade'>): PlanProblem {
  return {
    service: null,
    resourceId: `project:${projectName}`,
    message: `running under docker compose, not adopted: ${composeMadeSummary(inventory)}; nothing was changed: ${ADOPT_HINT}`,
  };
}
