import { canonicalJson, sha256Hex } from '../desired-state/canonical-json.js';
import type { Limits, RestartPolicy, Service } from '../desired-state/model.js';
import type { ObservedLimits } from './observe/observed-state.js';

// Limits are what `docker update` changes in place: memory, memory reservation, swap, cpus, cpu shares,
// pids and the restart policy. A container is stamped with the hash of the limits it was created with, so
// a no-op reconcile compares labels and inspects nothing; only a container whose label differs from the
// desired hash is inspected, to tell a real difference from one already applied in place.

export interface DesiredLimits {
  limits: Limits;
  restart: RestartPolicy;
}

export function desiredLimits(service: Service): DesiredLimits {
  return { limits: service.limits, restart: service.restart };
}

// Each service's hash, kept by the service object: a model is never changed once loaded, and an unchanged
// project is the same object from one reconcile to the next (desired-state/cache/project-cache.ts), so a
// no-op reconcile hashes nothing again (observe and plan both ask, once per container).
const limitsHashes = new WeakMap<Service, string>();

export function limitsHash(service: Service): string {
  let hash = limitsHashes.get(service);
  if (hash === undefined) {
    hash = sha256Hex(canonicalJson(desiredLimits(service))).slice(0, 32);
    limitsHashes.set(service, hash);
  }
  return hash;
}

/** The engine's value for each limit when it is not set (what inspect reports). */
function engineValue(value: number | null): number {
  return value ?? 0;
}

/**
 * Fields whose live value differs from the desired one, in words ("memory 256MiB -> 512MiB"), empty when
 * the container already has the desired limits.
 */
export function limitDifferences(desired: DesiredLimits, observed: ObservedLimits): string[] {
  const differences: string[] = [];
  const compare = (field: string, want: number | null, have: number | null, unset = 0) => {
    const wanted = want ?? unset;
    const had = have ?? unset;
    if (wanted !== had) differences.push(`${field} ${had} -> ${wanted}`);
  };
  compare('memory', desired.limits.memoryBytes, observed.memoryBytes);
  compare('memory_reservation', desired.limits.memoryReservationBytes, observed.memoryReservationBytes);
  // The engine reports swap as 2x memory when a memory limit is set without swap; only compare when asked.
  if (desired.limits.memswapBytes !== null) compare('memswap_limit', desired.limits.memswapBytes, observed.memswapBytes);
  compare('cpus', desired.limits.nanoCpus, observed.nanoCpus);
  compare('cpu_shares', desired.limits.cpuShares, observed.cpuShares);
  compare('pids_limit', normalizePids(desired.limits.pidsLimit), normalizePids(observed.pidsLimit));
  const restartWanted = `${desired.restart.name}:${desired.restart.maximumRetryCount}`;
  const restartHad = `${observed.restart.name || 'no'}:${observed.restart.maximumRetryCount}`;
  if (restartWanted !== restartHad) differences.push(`restart ${restartHad} -> ${restartWanted}`);
  return differences;
}

/** The engine reports "no pids limit" as 0, -1 or null depending on version. */
function normalizePids(value: number | null): number {
  return value === null || value <= 0 ? 0 : engineValue(value);
}
