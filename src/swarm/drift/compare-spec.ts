import { compare } from 'fast-json-patch';
import type { ServiceSpec } from '../mapping/swarm-types.js';
import type { ObservedSwarmService } from '../observe/observed-swarm.js';
import { SPEC_HASH } from '../model/swarm-labels.js';
import { normalizeObservedSpec } from './normalize-spec.js';

// Desired vs the service spec Swarm holds, field by field: what an out-of-band `docker service update`
// changed (a limit, an environment variable, the image), as JSON Pointer paths with both values.

export interface SpecDifference {
  /** JSON Pointer into the ServiceSpec: /TaskTemplate/Resources/Limits/MemoryBytes. */
  path: string;
  desired: unknown;
  observed: unknown;
}

export function specDifferences(desired: ServiceSpec, observed: ObservedSwarmService, networkNames: ReadonlyMap<string, string>): SpecDifference[] {
  const normalized = normalizeObservedSpec(observed.spec, desired, networkNames);
  const left = JSON.parse(JSON.stringify(desired)) as Record<string, unknown>;
  const differences: SpecDifference[] = [];
  const paths = new Set<string>();
  for (const operation of compare(left, normalized)) {
    // A whole added or removed object is reported at its own path.
    if (operation.path === `/Labels/${SPEC_HASH.replaceAll('~', '~0').replaceAll('/', '~1')}`) continue;
    paths.add(operation.path);
  }
  for (const path of [...paths].sort()) differences.push({ path, desired: pointer(left, path), observed: pointer(normalized, path) });
  return differences;
}

function pointer(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const raw of path.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
