import type { ContainerCreateSpec } from '../../actuators/container-spec.js';
import { sortedStrings, type ComparableHealthcheck } from './comparable.js';

// Projections both sides share: the desired create body and the live inspect spell these fields the
// same way (the engine stores what it was sent).

type PortBindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null | undefined;

/** "8080/tcp" -> sorted "hostIp:hostPort", "0.0.0.0" for all interfaces and "random" for an engine-picked port. */
export function comparablePorts(bindings: PortBindings): Record<string, string[]> {
  const ports: Record<string, string[]> = {};
  for (const key of Object.keys(bindings ?? {}).sort()) {
    const entries = (bindings ?? {})[key] ?? [];
    ports[key] = sortedStrings(entries.map((entry) => `${entry.HostIp || '0.0.0.0'}:${entry.HostPort || 'random'}`));
  }
  return ports;
}

/** Zero timings are unset; no test means no healthcheck of its own. */
export function comparableHealthcheck(check: ContainerCreateSpec['Healthcheck'] | null | undefined): ComparableHealthcheck | null {
  if (check === null || check === undefined || check.Test === undefined || check.Test.length === 0) return null;
  if (check.Test[0] === 'NONE') {
    return { test: ['NONE'], intervalNs: null, timeoutNs: null, retries: null, startPeriodNs: null, startIntervalNs: null };
  }
  const set = (value: number | undefined) => (value === undefined || value === 0 ? null : value);
  return {
    test: [...check.Test],
    intervalNs: set(check.Interval),
    timeoutNs: set(check.Timeout),
    retries: set(check.Retries),
    startPeriodNs: set(check.StartPeriod),
    startIntervalNs: set(check.StartInterval),
  };
}

export function comparableUlimits(
  ulimits: Array<{ Name: string; Soft: number; Hard: number }> | null | undefined,
): Record<string, { soft: number; hard: number }> {
  const sorted = [...(ulimits ?? [])].sort((left, right) => (left.Name < right.Name ? -1 : left.Name > right.Name ? 1 : 0));
  return Object.fromEntries(sorted.map((limit) => [limit.Name, { soft: limit.Soft, hard: limit.Hard }]));
}
