import type { Project } from '../desired-state/model.js';
import { takeInventory } from '../reconciler/observe/container-inventory.js';
import { ADOPT_HINT, composeMadeSummary, notAdoptedProblem } from '../reconciler/plan/ownership/not-adopted.js';
import type { ObservedContainer } from '../reconciler/observe/observed-state.js';

// Whether a project runs under docker compose, as the controller reports it: 'not-adopted' (the planner
// changes nothing; status, metrics and one log line say so and how to adopt) or 'adopting' (asked for by
// `run --adopt` or `x-composelet: { adopt: true }`); null when no compose-made container stands for a
// desired service. Not adopted is a terminal outcome, like an invalid manifest: reported, looked at again
// at the resync (or on an edit), never retried hot.

export interface AdoptionStatus {
  state: 'not-adopted' | 'adopting';
  /** service -> the compose-made containers standing for it. */
  services: Record<string, string[]>;
  message: string;
  /** How to take it over (not-adopted only). */
  hint: string | null;
}

/** The terminal error of a reconcile that found the project not adopted (the wrapper labels it `not_adopted`). */
export class NotAdoptedError extends Error {
  override readonly name = 'NotAdoptedError';
}

export function adoptionStatusOf(project: Project, containers: readonly ObservedContainer[], options: { adopt: boolean }): AdoptionStatus | null {
  const inventory = takeInventory(project, containers);
  if (inventory.composeMade.size === 0) return null;
  const services: Record<string, string[]> = {};
  for (const [service, made] of [...inventory.composeMade].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))) {
    services[service] = made.map((container) => container.name);
  }
  if (options.adopt) return { state: 'adopting', services, message: `adopting from docker compose: ${composeMadeSummary(inventory)}`, hint: null };
  return { state: 'not-adopted', services, message: notAdoptedProblem(project.name, inventory).message, hint: ADOPT_HINT };
}

/** What to log when a project's adoption status changed since the last reconcile; null when it did not. */
export function adoptionTransition(previous: AdoptionStatus | null, next: AdoptionStatus | null): { level: 'warn' | 'info'; message: string } | null {
  if (previous?.state === next?.state && JSON.stringify(previous?.services) === JSON.stringify(next?.services)) return null;
  if (next?.state === 'not-adopted') return { level: 'warn', message: next.message };
  if (next?.state === 'adopting') return { level: 'info', message: next.message };
  if (previous?.state === 'adopting') return { level: 'info', message: 'adopted from docker compose: every service runs in a container composelet owns' };
  return { level: 'info', message: 'no longer running under docker compose: no compose-made container stands for a service' };
}
