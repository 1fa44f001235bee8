import type { ExecutionReport } from '../reconciler/execute/execute.js';
import type { Plan } from '../reconciler/plan/plan.js';

// The last plan that changed something, as /status and the status page show it: each operation's kind,
// resource, cause and result. Causes name fields and image references, never values; engine error
// messages are left out (the audit log has them), so nothing secret can ride along.

export interface PlanSummary {
  /** Epoch ms of the reconcile that made it. */
  at: number;
  /** At most MAX_STEPS, in plan order. */
  steps: Array<{ kind: string; resource: string; cause: string; result: string }>;
  /** Operations beyond the steps listed. */
  more: number;
}

export const MAX_STEPS = 40;

/** null for a plan without operations: the previous summary stays the one to show. `report` null: not run
 * (read-only), every step "not run". */
export function summarizePlan(plan: Plan, report: ExecutionReport | null, at: number): PlanSummary | null {
  if (plan.operations.length === 0) return null;
  const results = new Map((report?.results ?? []).map((result) => [result.id, result.status] as const));
  const steps = plan.operations.slice(0, MAX_STEPS).map((operation) => ({
    kind: operation.kind,
    resource: operation.resourceId,
    cause: operation.cause,
    result: report === null ? 'not run' : (results.get(operation.id) ?? 'not run'),
  }));
  return { at, steps, more: plan.operations.length - steps.length };
}
