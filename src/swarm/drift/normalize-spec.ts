import { canonicalJson } from '../../desired-state/canonical-json.js';
import type { ServiceSpec } from '../mapping/swarm-types.js';

// The service spec the engine returns, brought to the form composelet sends, before the two are compared
// (pair, normalize, diff): networks by name instead of id, the ids the engine adds to secret and config
// references dropped, and the defaults the engine fills in removed when they hold their default value.

type Json = Record<string, unknown>;

/** Paths (dotted) the engine fills in, with the value that means "not set". */
export const ENGINE_DEFAULTS: ReadonlyArray<[path: string, value: unknown]> = [
  ['TaskTemplate.ContainerSpec.Isolation', 'default'],
  ['TaskTemplate.ForceUpdate', 0],
  ['TaskTemplate.Runtime', 'container'],
  ['TaskTemplate.RestartPolicy.MaxAttempts', 0],
  ['TaskTemplate.Resources.Limits', {}],
  ['TaskTemplate.Resources.Reservations', {}],
  ['TaskTemplate.Resources', {}],
  ['TaskTemplate.Placement', {}],
  ['UpdateConfig.FailureAction', 'pause'],
  ['UpdateConfig.MaxFailureRatio', 0],
  ['UpdateConfig.Order', 'stop-first'],
  ['UpdateConfig.Parallelism', 1],
  ['UpdateConfig', {}],
  ['RollbackConfig.FailureAction', 'pause'],
  ['RollbackConfig.MaxFailureRatio', 0],
  ['RollbackConfig.Order', 'stop-first'],
  ['RollbackConfig.Parallelism', 1],
  ['RollbackConfig', {}],
  ['EndpointSpec.Mode', 'vip'],
  ['EndpointSpec', {}],
];

/** The observed spec in composelet's form; `networkNames`: network id -> name. */
export function normalizeObservedSpec(observed: Json, desired: ServiceSpec, networkNames: ReadonlyMap<string, string>): Json {
  const copy = structuredClone(observed) as Json;
  const template = (copy['TaskTemplate'] ?? {}) as Json;
  const networks = template['Networks'] as Array<Json> | undefined;
  if (networks) template['Networks'] = networks.map((network) => ({ ...network, Target: networkNames.get(String(network['Target'])) ?? network['Target'] }));
  const container = (template['ContainerSpec'] ?? {}) as Json;
  for (const [key, id] of [['Secrets', 'SecretID'], ['Configs', 'ConfigID']] as const) {
    const references = container[key] as Array<Json> | undefined;
    if (references) container[key] = references.map(({ [id]: _dropped, ...reference }) => reference);
  }
  for (const [path, value] of ENGINE_DEFAULTS) {
    const desiredValue = valueAt(desired as unknown as Json, path);
    if (desiredValue === undefined && canonicalJson(valueAt(copy, path)) === canonicalJson(value)) removeAt(copy, path);
  }
  return copy;
}

export function valueAt(object: Json, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[part];
  }
  return current;
}

function removeAt(object: Json, path: string): void {
  const parts = path.split('.');
  const last = parts.pop()!;
  const parent = valueAt(object, parts.join('.'));
  if (parts.length === 0) delete object[last];
  else if (parent !== null && typeof parent === 'object') delete (parent as Json)[last];
}
