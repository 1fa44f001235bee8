import type { FileObjectSpec, NetworkSpec, ServiceSpec } from '../mapping/swarm-types.js';

// The Swarm plan is data: one operation per engine call (or wait), each with the resource it acts on, why,
// and the operations it waits for. The actuator runs it in that order and decides nothing.

interface Base {
  resourceId: string;
  cause: string;
  dependsOn: string[];
}

export type SwarmOperation =
  | (Base & { kind: 'create-network'; spec: NetworkSpec })
  | (Base & { kind: 'create-file-object'; spec: FileObjectSpec })
  | (Base & { kind: 'create-service'; service: string; spec: ServiceSpec })
  | (Base & { kind: 'update-service'; service: string; serviceId: string; version: number; spec: ServiceSpec })
  /** Until the service's tasks run the current spec (healthy where it has a healthcheck: Swarm reports
   * running only then) and Swarm's update completed, or, for a job, until they completed. After composelet
   * created or updated it, `specHash` is the spec it sent and `previousSpecHash` the one it replaced (null
   * on a creation): a Swarm rollback or pause then ends the wait as that rollout's outcome. */
  | (Base & { kind: 'wait-service'; service: string; condition: 'running' | 'completed'; specHash?: string; previousSpecHash?: string | null })
  /** A service, network, config or secret the project owns (labels) and no longer declares: only with --prune.
   * An old version of a config or secret (content-hashed name, its key still declared) once no service of
   * the project refers to it: always, after the updates that replaced it. */
  | (Base & { kind: 'remove-service'; service: string; serviceId: string })
  | (Base & { kind: 'remove-network'; networkId: string })
  | (Base & { kind: 'remove-file-object'; fileKind: 'config' | 'secret'; objectId: string });

export interface SwarmPlan {
  projectName: string;
  operations: SwarmOperation[];
  /** What the plan will not do, and why (an object of that name composelet does not own). */
  problems: Array<{ resourceId: string; message: string }>;
  /** What the plan leaves as it is and says so (an orphan kept without --prune). */
  notes: Array<{ resourceId: string; message: string }>;
}

export function renderSwarmPlan(plan: SwarmPlan): string {
  if (plan.operations.length === 0 && plan.problems.length === 0 && plan.notes.length === 0) return 'nothing to do';
  const lines = plan.operations.map((operation) => {
    const after = operation.dependsOn.length > 0 ? ` after ${operation.dependsOn.join(', ')}` : '';
    return `${operation.kind} ${operation.resourceId} (${operation.cause})${after}`;
  });
  for (const note of plan.notes) lines.push(`- ${note.resourceId}: ${note.message}`);
  for (const problem of plan.problems) lines.push(`problem ${problem.resourceId}: ${problem.message}`);
  return lines.join('\n');
}
