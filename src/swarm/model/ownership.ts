import { COMPOSE_PROJECT, OWNED_BY_COMPOSELET } from './swarm-labels.js';

/** A Swarm object composelet made for this project: nothing else is ever updated or removed. */
export function isOwnedBy(labels: Readonly<Record<string, string>>, projectName: string): boolean {
  return labels[OWNED_BY_COMPOSELET] === 'true' && labels[COMPOSE_PROJECT] === projectName;
}
