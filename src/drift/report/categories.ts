import type { Service } from '../../desired-state/model.js';
import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';
import { hasCompleted, isOneShot } from '../../reconciler/one-shot.js';
import { pointerSegments } from '../compare/compare.js';
import type { DriftCategory, DriftChange, ServiceStatus } from '../model.js';

// Which kind of drift a change is, what a service's changes add up to, and when a container that does
// not run is drift (a one-shot that exited 0 completed: it is not).

/** Field differences: limits, networks, or anything else (configuration). */
export function categoryOfPath(path: string): DriftCategory {
  const [field] = pointerSegments(path);
  if (field === 'limits') return 'limits';
  if (field === 'networks' || field === 'networkMode') return 'network';
  return 'configuration';
}

/** The most telling status first: a container posing as the service, then a missing one, then stopped. */
export function serviceStatusOf(changes: readonly DriftChange[]): ServiceStatus {
  const has = (category: DriftCategory) => changes.some((change) => change.category === category);
  if (has('foreign')) return 'foreign';
  if (has('not-adopted')) return 'not-adopted';
  if (has('missing')) return 'missing';
  if (has('stopped')) return 'stopped';
  return changes.length > 0 ? 'drifted' : 'in-sync';
}

export { isOneShot } from '../../reconciler/one-shot.js';

/** Why a container of a desired service counts as stopped, or null when its state is as it should be. */
export function stoppedReason(service: Service, container: Pick<ObservedContainer, 'state' | 'exitCode' | 'labels'>): string | null {
  if (isOneShot(service) && hasCompleted(container)) return null;
  switch (container.state) {
    case 'running':
      return null;
    case 'exited': {
      const code = container.exitCode ?? 'unknown';
      if (isOneShot(service)) return `exited unexpectedly (${code}): the one-shot failed or was stopped`;
      return `exited (${code}) though restart is "${service.restart.name}": stopped out of band or crashed`;
    }
    case 'created':
      return 'created but never started';
    case 'paused':
      return 'paused';
    case 'restarting':
      return 'restarting: it keeps exiting and the engine restarts it';
    case 'removing':
      return 'being removed';
    case 'dead':
      return 'dead: the engine could not stop or remove it cleanly';
  }
}
