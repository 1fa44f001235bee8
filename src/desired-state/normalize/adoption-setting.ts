import type { Project } from '../model.js';
import { toBoolean } from '../schema/building-blocks.js';

// `x-composelet: { adopt: true }`: the project asks to be taken over from docker compose without a flag.
// One home for the rule, read by `apply`, `adopt` and the controller alike.

/** True when the project's `x-composelet.adopt` is true (or a string Compose reads as true). */
export function adoptsItself(project: Pick<Project, 'composelet'>): boolean {
  const value = project.composelet['adopt'];
  return (typeof value === 'boolean' || typeof value === 'string') && toBoolean(value) === true;
}

/** Whether a reconcile takes over the project's compose-made containers: asked for every project
 * (`--adopt`), or by the project itself. */
export function adoptionWanted(project: Pick<Project, 'composelet'>, options: { adoptAll: boolean }): boolean {
  return options.adoptAll || adoptsItself(project);
}
