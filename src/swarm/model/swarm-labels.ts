import { COMPOSE_PROJECT, COMPOSE_SERVICE, OWNED_BY_COMPOSELET, SPEC_HASH } from '../../reconciler/labels.js';

// The ownership contract of one host (src/reconciler/labels.ts) on Swarm objects: every service, network,
// config and secret composelet creates carries the project, `io.composelet.managed=true` and, on a service,
// the hash of the ServiceSpec it was made from. Nothing without the managed label is ever touched.

export { COMPOSE_PROJECT, COMPOSE_SERVICE, OWNED_BY_COMPOSELET, SPEC_HASH };
/** On a Swarm config or secret: its key in the manifest, and the SHA-256 of its content. */
export const FILE_OBJECT_KEY = 'io.composelet.swarm.file-key';
export const CONTENT_HASH = 'io.composelet.swarm.content-hash';

export function ownedLabels(projectName: string): Record<string, string> {
  return { [COMPOSE_PROJECT]: projectName, [OWNED_BY_COMPOSELET]: 'true' };
}
