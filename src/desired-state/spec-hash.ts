import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { Service } from './model.js';

// The spec hash says "recreate or not". It covers everything whose change needs a new container and
// leaves out what the engine changes in place (`docker update`: memory, cpus, pids, restart policy), what
// never needs a recreate (replicas, depends_on, profiles, pull policy, rollout settings, composelet's own
// settings) and where a value came from (environmentFromFiles, fromDotenv). Fields added to the model later
// are left out while they hold their default, so services that do not use them keep the hash they had.

type HashedFields = Omit<
  Service,
  | 'name'
  | 'limits'
  | 'restart'
  | 'replicas'
  | 'dependsOn'
  | 'profiles'
  | 'pullPolicy'
  | 'pullRefreshPeriodNs'
  | 'updateConfig'
  | 'rollbackConfig'
  | 'composelet'
  | 'healing'
  | 'environmentFromFiles'
  | 'envFiles'
  | 'fromDotenv'
  | 'cpuReservationNanoCpus'
  | 'postStart'
  | 'preStop'
  | 'swarm'
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
  'pullRefreshPeriodNs',
  'updateConfig',
  'rollbackConfig',
  'composelet',
  'healing',
  'environmentFromFiles',
  'envFiles',
  'fromDotenv',
  'cpuReservationNanoCpus',
  'postStart',
  'preStop',
  'swarm',
  'specHash',
] as const satisfies ReadonlyArray<keyof Service>;

/** Hashed when set, left out while they hold their default (null or an empty list). */
export const SPEC_HASH_FIELDS_WHEN_SET = [
  'platform',
  'runtime',
  'macAddress',
  'links',
  'devices',
  'deviceRequests',
  'volumesFrom',
] as const satisfies ReadonlyArray<keyof Service>;

function isDefault(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

export function hashedFields(service: Omit<Service, 'specHash'>): HashedFields {
  const copy: Record<string, unknown> = { ...service };
  for (const field of SPEC_HASH_EXCLUDED_FIELDS) delete copy[field];
  for (const field of SPEC_HASH_FIELDS_WHEN_SET) if (isDefault(copy[field])) delete copy[field];
  copy['networks'] = Object.fromEntries(
    Object.entries(service.networks).map(([key, network]) => {
      const { macAddress, ...rest } = network;
      return [key, macAddress === null ? rest : network];
    }),
  );
  return copy as HashedFields;
}

export function specHash(service: Omit<Service, 'specHash'>): string {
  return sha256Hex(canonicalJson(hashedFields(service)));
}
