import type { DesiredSwarm } from '../mapping/desired-swarm.js';
import type { SwarmOutcome } from '../execute/execute-swarm.js';
import type { ObservedSwarm } from '../observe/observed-swarm.js';
import type { SwarmPlan } from '../plan/swarm-plan.js';

// What /status and the page say about a Swarm project, from one observation of the cluster: per service,
// the replicas wanted and running, where its running tasks are (node hostname -> count), and the outcome
// of the last operation the controller ran on it (kept from reconcile to reconcile). Pure.

export interface SwarmServiceStatus {
  /** Desired replicas; for a job, the completions wanted; null for a global service (one per node). */
  replicasDesired: number | null;
  /** Tasks running now (for a job: completed). */
  replicasRunning: number;
  /** Node hostname -> tasks of the service running (or, for a job, completed) there. */
  tasksPerNode: Record<string, number>;
  /** The last operation's result on this service (succeeded, failed, skipped, or any kind the executor
   * reports, e.g. rolled-back) with its message; null until the controller changed it. */
  lastOutcome: { result: string; message: string | null; at: number } | null;
}

export interface SwarmProjectStatus {
  /** Node hostname -> availability/state, e.g. "active/ready", "drain/ready". */
  nodes: Record<string, string>;
  services: Record<string, SwarmServiceStatus>;
}

export function swarmProjectStatus(
  desired: DesiredSwarm,
  observed: ObservedSwarm,
  previous: SwarmProjectStatus | null,
  lastOutcomes: Readonly<Record<string, SwarmServiceStatus['lastOutcome']>> = {},
): SwarmProjectStatus {
  const hostnames = new Map(observed.nodes.map((node) => [node.id, node.hostname]));
  const services: Record<string, SwarmServiceStatus> = {};
  for (const [name, spec] of Object.entries(desired.services).sort(([left], [right]) => left.localeCompare(right))) {
    const existing = observed.services.find((candidate) => candidate.name === spec.Name);
    const job = 'ReplicatedJob' in spec.Mode || 'GlobalJob' in spec.Mode;
    const counted = (existing?.tasks ?? []).filter((task) => (job ? task.state === 'complete' : task.state === 'running' && task.desiredState === 'running'));
    const tasksPerNode: Record<string, number> = {};
    for (const task of counted) {
      const node = hostnames.get(task.nodeId) ?? task.nodeId;
      tasksPerNode[node] = (tasksPerNode[node] ?? 0) + 1;
    }
    services[name] = {
      replicasDesired: desiredReplicas(spec.Mode),
      replicasRunning: counted.length,
      tasksPerNode: Object.fromEntries(Object.entries(tasksPerNode).sort(([left], [right]) => left.localeCompare(right))),
      lastOutcome: lastOutcomes[name] ?? previous?.services[name]?.lastOutcome ?? null,
    };
  }
  const nodes = Object.fromEntries(observed.nodes.map((node) => [node.hostname, `${node.availability}/${node.state}`]).sort(([left], [right]) => left!.localeCompare(right!)));
  return { nodes, services };
}

function desiredReplicas(mode: DesiredSwarm['services'][string]['Mode']): number | null {
  const modes = mode as Record<string, Record<string, number> | undefined>;
  if (modes['Replicated']) return modes['Replicated']['Replicas'] ?? 1;
  if (modes['ReplicatedJob']) return modes['ReplicatedJob']['TotalCompletions'] ?? 1;
  return null;
}

/** Per service, the outcome of its last operation in this run: the wait's when there is one (it says how the
 * rollout ended), else the create's or update's. */
export function serviceOutcomes(plan: SwarmPlan, outcomes: readonly SwarmOutcome[], at: number): Record<string, NonNullable<SwarmServiceStatus['lastOutcome']>> {
  const byResource = new Map(outcomes.map((outcome) => [outcome.resourceId, outcome]));
  const result: Record<string, NonNullable<SwarmServiceStatus['lastOutcome']>> = {};
  for (const operation of plan.operations) {
    if (!('service' in operation)) continue;
    const outcome = byResource.get(operation.resourceId);
    if (!outcome) continue;
    // A wait for a service that was not changed (a dependency's) says nothing new about it.
    const changed = plan.operations.some((candidate) => (candidate.kind === 'create-service' || candidate.kind === 'update-service') && candidate.service === operation.service);
    if (!changed) continue;
    const earlier = result[operation.service];
    if (earlier && earlier.result !== 'succeeded' && outcome.result === 'skipped') continue;
    result[operation.service] = { result: outcome.result, message: outcome.result === 'succeeded' ? null : ('message' in outcome ? String(outcome.message) : null), at };
  }
  return result;
}
