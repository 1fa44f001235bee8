import { buildAuditEntry, type AuditEntry } from '../../audit/audit-entry.js';
import { projectIntentEntry } from '../../audit/audit-guard.js';
import type { Redactor } from '../../redaction/redact.js';
import type { SwarmOutcome } from '../execute/execute-swarm.js';
import { SPEC_HASH } from '../model/swarm-labels.js';
import type { ObservedSwarm } from '../observe/observed-swarm.js';
import type { SwarmOperation, SwarmPlan } from '../plan/swarm-plan.js';

// The audit lines of a Swarm deploy, the same shape as one host's: an intent line before the plan runs
// (fail closed: no line, no change), then one line per mutating operation (waits change nothing) with its
// outcome. Spec hashes are the Swarm ServiceSpec hashes (the label on the service), before and after.

export interface SwarmAuditContext {
  actor: string;
  manifestCommit: string | null;
  redactor: Redactor;
  now?: () => Date;
  user?: string;
}

export function isSwarmMutation(operation: SwarmOperation): boolean {
  return operation.kind !== 'wait-service';
}

/** The line written before the plan runs: the one-host intent line's builder, over Swarm's mutating operations. */
export function swarmIntentEntry(plan: SwarmPlan, context: SwarmAuditContext): AuditEntry {
  return projectIntentEntry(plan.projectName, plan.operations.filter(isSwarmMutation), context, 'Swarm operation(s)');
}

/** One line per mutating operation, in plan order, with its outcome (an operation without one: abandoned).
 * Outcome kinds other than succeeded/failed/skipped are written as they are named. */
export function swarmAuditEntries(
  plan: SwarmPlan,
  outcomes: readonly SwarmOutcome[],
  context: SwarmAuditContext & { observed: ObservedSwarm; durations?: ReadonlyMap<string, number> },
): AuditEntry[] {
  const byResource = new Map(outcomes.map((outcome) => [outcome.resourceId, outcome]));
  return plan.operations.filter(isSwarmMutation).map((operation) => {
    const outcome = byResource.get(operation.resourceId);
    return buildAuditEntry(
      {
        ...timeAndUser(context),
        actor: context.actor,
        project: plan.projectName,
        service: 'service' in operation ? operation.service : null,
        action: operation.kind,
        resource: operation.resourceId,
        cause: operation.cause,
        specHashBefore: hashBefore(operation, context.observed),
        specHashAfter: hashAfter(operation),
        result: (outcome?.result ?? 'abandoned') as AuditEntry['result'],
        error: outcome === undefined ? 'no result reported' : messageOf(outcome),
        manifestCommit: context.manifestCommit,
        durationMs: context.durations?.get(operation.resourceId) ?? 0,
      },
      { redactor: context.redactor },
    );
  });
}

/** The outcome's message, whatever kind it is; null for a success. */
export function messageOf(outcome: SwarmOutcome): string | null {
  if (outcome.result === 'succeeded') return null;
  return 'message' in outcome && typeof outcome.message === 'string' ? outcome.message : outcome.result;
}

function hashBefore(operation: SwarmOperation, observed: ObservedSwarm): string | null {
  if (operation.kind !== 'update-service') return null;
  return observed.services.find((service) => service.id === operation.serviceId)?.labels[SPEC_HASH] ?? null;
}

function hashAfter(operation: SwarmOperation): string | null {
  if (operation.kind === 'create-service' || operation.kind === 'update-service') return operation.spec.Labels[SPEC_HASH] ?? null;
  return null;
}

function timeAndUser(context: SwarmAuditContext): { time?: Date; user?: string } {
  return { ...(context.now ? { time: context.now() } : {}), ...(context.user !== undefined ? { user: context.user } : {}) };
}
