import type { RestartPolicyName, Service } from '../desired-state/model.js';
import { ADOPTED_COMPLETED } from './labels.js';
import type { ObservedContainer } from './observe/observed-state.js';

// One home for "is this a one-shot" and "has it done its job": a service whose restart policy is `no` or
// `on-failure` is expected to exit; its container has completed when it exited 0, or when adoption made it
// from a compose container that had already exited 0 (created, not run again: ADOPTED_COMPLETED).

/** Restart policy names of one-shots, as the model and the engine name them ('' is the engine's "no"). */
export const ONE_SHOT_RESTART_POLICIES: ReadonlySet<string> = new Set<RestartPolicyName | ''>(['', 'no', 'on-failure']);

export function isOneShot(service: Pick<Service, 'restart'>): boolean {
  return ONE_SHOT_RESTART_POLICIES.has(service.restart.name);
}

/** A one-shot's container that needs nothing more: exited 0, or adopted after it had. */
export function hasCompleted(container: Pick<ObservedContainer, 'state' | 'exitCode' | 'labels'>): boolean {
  if (container.state === 'exited') return container.exitCode === 0;
  return container.state === 'created' && container.labels[ADOPTED_COMPLETED] !== undefined;
}
