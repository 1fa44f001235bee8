import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { Service } from './model.js';

// The spec hash says "recreate or not". It covers everything whose change needs a new container and
// leaves out what the engine changes in place (`docker update`: memory, cpus, pids, restart policy), what
// never needs a recreate (replicas, depends_on, profiles, pull policy, composelet's own settings) and
// where a value came from (environmentFromFiles, fromDotenv).

type HashedFields = Omit<
  Service,
  | 'name'
  | 'limits'
  | 'restart'
  | 'replicas'
  | 'dependsOn'
  | 'profiles'
  | 'pullPolicy'
  | 'composelet'
  | 'healing'
  | 'environmentFromFiles'
  | 'envFiles'
  | 'fromDotenv'
  | 'cpuReservationNanoCpus'
  | 'postStart'
  | 'preStop'
  | 'specHash'
>;

export const SPEC_HASH_EXCLUDED_FIELDS = [
  'name',
  'limits',
  'restart',
  'replicas',
  'dependsOn',
  'profiles',
  'pullPolicy',
  'composelet',
  'healing',
  'environmentFromFiles',
  'envFiles',
  'fromDotenv',
  'cpuReservationNanoCpus',
  'postStart',
  'preStop',
  'specHash',
] as const satisfies ReadonlyArray<keyof Service>;

export function hashedFields(service: Omit<Service, 'specHash'>): HashedFields {
  const copy: Record<string, unknown> = { ...service };
  for (const field of SPEC_HASH_EXCLUDED_FIELDS) delete copy[field];
  return copy as HashedFields;
}

export function specHash(service: Omit<Service, 'specHash'>): string {
  return sha256Hex(canonicalJson(hashedFields(service)));
}
