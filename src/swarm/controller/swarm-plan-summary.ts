import { MAX_STEPS, type PlanSummary } from '../../controller/plan-summary.js';
import type { SwarmOutcome } from '../execute/execute-swarm.js';
import type { SwarmPlan } from '../plan/swarm-plan.js';

// The last Swarm plan that changed something, in the shape /status and the page show for one host: each
// operation's kind, resource, cause and result ("not run" while read-only). Outcome messages stay out
// (the audit log has them).

export function summarizeSwarmPlan(plan: SwarmPlan, outcomes: readonly SwarmOutcome[] | null, at: number): PlanSummary {
  const results = new Map((outcomes ?? []).map((outcome) => [outcome.resourceId, outcome.result as string]));
  const steps = plan.operations.slice(0, MAX_STEPS).map((operation) => ({
    kind: operation.kind,
    resource: operation.resourceId,
    cause: operation.cause,
    result: results.get(operation.resourceId) ?? 'not run',
  }));
  return { at, steps, more: plan.operations.length - steps.length };
}
