import type { FailedRollout } from '../../state/failed-rollouts.js';
import type { SwarmPlan } from '../plan/swarm-plan.js';
import type { SwarmOutcome } from './swarm-outcome.js';

// What a Swarm apply remembers of its rollouts, in the same memory as one host (state/failed-rollouts.ts):
// a service Swarm rolled back or paused, with the ServiceSpec hash that failed, so the next apply does not
// push the same spec again without --retry-failed; a service whose wait after composelet's update or
// creation succeeded is forgotten. Pure: the caller reads and writes the file.

export function swarmFailureChanges(plan: SwarmPlan, outcomes: readonly SwarmOutcome[], now: Date): { failed: Record<string, FailedRollout>; succeeded: string[] } {
  const failed: Record<string, FailedRollout> = {};
  const succeeded: string[] = [];
  const waits = new Map(plan.operations.flatMap((operation) => (operation.kind === 'wait-service' && operation.specHash !== undefined ? [[operation.resourceId, operation.service] as const] : [])));
  for (const outcome of outcomes) {
    if (outcome.result === 'rolled-back' || outcome.result === 'paused') {
      failed[outcome.service] = {
        specHash: outcome.specHash,
        previousSpecHash: outcome.previousSpecHash,
        reason: outcome.message,
        at: now.toISOString(),
        ...(outcome.result === 'paused' ? { state: 'paused' as const } : {}),
      };
    } else if (outcome.result === 'succeeded' && waits.has(outcome.resourceId)) {
      succeeded.push(waits.get(outcome.resourceId)!);
    }
  }
  return { failed, succeeded: succeeded.sort() };
}

/** Why apply refuses: one line per service whose desired spec failed before. */
export function refusalLines(projectName: string, refused: Readonly<Record<string, FailedRollout>>): string[] {
  return Object.entries(refused)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([service, failure]) => `project ${projectName}: ${service}: this spec was ${failure.state === 'paused' ? 'paused' : 'rolled back'} by Swarm before (${failure.at}): ${failure.reason}`);
}
