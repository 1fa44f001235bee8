import type { ExecutionReport } from './execute.js';
import type { Plan, Rollout } from '../plan/plan.js';
import type { FailedRollout } from '../../state/failed-rollouts.js';

// What became of each rollout of a run, read from the plan and its report (pure): it succeeded, it was
// rolled back (its fallbacks ran: the old container serves again), the rollback itself failed, it never
// started (what it needed failed first, e.g. the image), or a pause stopped the rollout before its batch.
// The evidence is the error of the step that failed (a gate's count, with the first replica's failure).

export type RolloutResult = 'succeeded' | 'rolled-back' | 'rollback-failed' | 'not-started' | 'paused';

export interface RolloutOutcome {
  rollout: Rollout;
  result: RolloutResult;
  /** Why it failed: "new container unhealthy after 12 s: <last healthcheck output>"; null when it succeeded. */
  evidence: string | null;
  /** Not started, and no operation of its service failed: only skipped because something else failed (a
   * dependency's heal, a shared network). Not the spec's fault: it is tried again, not remembered as failed. */
  blockedElsewhere?: true;
}

export function rolloutOutcomes(plan: Plan, report: ExecutionReport): RolloutOutcome[] {
  const results = new Map(report.results.map((result) => [result.id, result]));
  const failedError = (operationIds: readonly number[]) => operationIds.map((id) => results.get(id)).find((result) => result?.status === 'failed')?.error;
  const isGate = (id: number) => plan.operations[id]?.kind === 'rollout-gate';
  return (plan.rollouts ?? []).map((rollout): RolloutOutcome => {
    const siblings = (plan.rollouts ?? []).filter((other) => other.service === rollout.service);
    // A replica's own failure, else the gate that stopped the rollout with the first replica that failed.
    const own = failedError(rollout.covered.filter((id) => !isGate(id)));
    const gate = failedError(rollout.covered.filter(isGate)) ?? failedError(plan.operations.filter((operation) => operation.kind === 'rollout-gate' && operation.service === rollout.service).map(({ id }) => id));
    const first = siblings.map((other) => failedError(other.covered.filter((id) => !isGate(id)))).find((error) => error !== undefined);
    const evidence = own ?? (gate !== undefined ? `${gate}${first !== undefined ? `; first: ${first}` : ''}` : undefined);
    const fallbackStatuses = rollout.fallbacks.map((id) => results.get(id)?.status);
    if (fallbackStatuses.includes('failed')) return { rollout, result: 'rollback-failed', evidence: evidence ?? null };
    if (fallbackStatuses.includes('succeeded')) return { rollout, result: 'rolled-back', evidence: evidence ?? 'a step was interrupted' };
    const coveredStatuses = rollout.covered.map((id) => results.get(id)?.status);
    if (coveredStatuses.every((status) => status === 'succeeded')) return { rollout, result: 'succeeded', evidence: null };
    // failure_action: pause stopped the rollout before this replica's batch.
    if (rollout.failureAction === 'pause' && gate !== undefined) return { rollout, result: 'paused', evidence: evidence ?? null };
    const cause = plan.operations
      .filter((operation) => operation.service === rollout.service)
      .map((operation) => results.get(operation.id))
      .find((result) => result?.status === 'failed');
    if (cause === undefined) return { rollout, result: 'not-started', evidence: 'a step it needed did not run', blockedElsewhere: true };
    return { rollout, result: 'not-started', evidence: cause.error ?? 'a step it needed did not run' };
  });
}

/** "rolled back api: new container unhealthy after 12 s: database gone" */
export function describeOutcome(outcome: RolloutOutcome): string {
  const replica = outcome.rollout.number > 1 ? ` (replica ${outcome.rollout.number})` : '';
  const subject = `${outcome.rollout.service}${replica}`;
  switch (outcome.result) {
    case 'succeeded':
      return `rolled out ${subject}`;
    case 'rolled-back':
      return `rolled back ${subject}: ${outcome.evidence}`;
    case 'rollback-failed':
      return `rollout of ${subject} failed and so did its rollback: ${outcome.evidence}`;
    case 'not-started':
      return `rollout of ${subject} not started: ${outcome.evidence}`;
    case 'paused':
      return `rollout of ${subject} paused: ${outcome.evidence}`;
  }
}

/** What the failure memory learns from a run: failed specs by service, and services that rolled out. */
export function failureChanges(
  outcomes: readonly RolloutOutcome[],
  at: Date,
): { failed: Record<string, FailedRollout>; succeeded: string[] } {
  const failed: Record<string, FailedRollout> = {};
  const succeeded = new Set<string>();
  for (const outcome of outcomes) {
    const { service, newSpecHash, oldSpecHash } = outcome.rollout;
    if (outcome.result === 'succeeded') succeeded.add(service);
    else if (outcome.blockedElsewhere === true) continue;
    else {
      failed[service] ??= { specHash: newSpecHash, previousSpecHash: oldSpecHash, reason: describeOutcome(outcome), at: at.toISOString() };
      // A rollout that failure_action: pause stopped: the service is paused, not rolled back.
      if (outcome.rollout.failureAction === 'pause') failed[service].state = 'paused';
    }
  }
  return { failed, succeeded: [...succeeded].filter((service) => failed[service] === undefined) };
}

/** Services whose new containers all came up in this run (a create succeeded, no operation of theirs failed,
 * no rollout of theirs rolled back): their desired spec is now the one running. */
export function deployedServices(plan: Plan, report: ExecutionReport): string[] {
  const results = new Map(report.results.map((result) => [result.id, result]));
  const created = new Set<string>();
  const troubled = new Set<string>();
  for (const operation of plan.operations) {
    if (operation.service === null) continue;
    const status = results.get(operation.id)?.status;
    if (operation.onFailureOf !== undefined) {
      if (status !== 'unneeded') troubled.add(operation.service);
      continue;
    }
    if (status !== 'succeeded') troubled.add(operation.service);
    else if (operation.kind === 'create-container') created.add(operation.service);
  }
  return [...created].filter((service) => !troubled.has(service)).sort();
}
