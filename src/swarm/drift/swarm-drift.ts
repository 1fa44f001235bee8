import type { DesiredSwarm } from '../mapping/desired-swarm.js';
import type { ObservedSwarm } from '../observe/observed-swarm.js';
import { waitVerdict } from '../execute/wait-condition.js';
import { specDifferences, type SpecDifference } from './compare-spec.js';
import { taskDrift, type SwarmTaskDrift } from './task-drift.js';

// Drift on Swarm, per service: missing, its spec differs from the desired one (an out-of-band `docker service
// update`), or its tasks are not running (fewer running than wanted, or a job that failed).

/** `drift` of the projects that target Swarm: alone, or as `swarm` in the one-engine report of a manifest
 * that mixes both (schemas/drift-report.v1.json). */
export interface SwarmDriftReport {
  target: 'swarm';
  /** True when no service drifted. */
  inSync: boolean;
  projects: Array<{ name: string; services: SwarmServiceDrift[] }>;
}

export interface SwarmServiceDrift {
  service: string;
  missing: boolean;
  differences: SpecDifference[];
  /** Null when its tasks are as wanted; else what is not (e.g. "1/3 running"). */
  tasks: string | null;
  /** Per task, which node and state, for the tasks not running where Swarm wants them (task-drift.ts):
   * during a drain, the new tasks being placed and the old ones stopping. Empty when all run. */
  taskStates: SwarmTaskDrift[];
}

export function swarmDrift(desired: DesiredSwarm, observed: ObservedSwarm): SwarmServiceDrift[] {
  const networkNames = new Map(observed.networks.map((network) => [network.id, network.name]));
  const drifts: SwarmServiceDrift[] = [];
  for (const [service, spec] of Object.entries(desired.services).sort(([left], [right]) => left.localeCompare(right))) {
    const existing = observed.services.find((candidate) => candidate.name === spec.Name);
    if (!existing) {
      drifts.push({ service, missing: true, differences: [], tasks: null, taskStates: [] });
      continue;
    }
    const differences = specDifferences(spec, existing, networkNames);
    const job = 'ReplicatedJob' in spec.Mode || 'GlobalJob' in spec.Mode;
    // Tasks are counted against the desired replicas, not the ones an out-of-band scale left in the spec.
    const verdict = waitVerdict({ ...existing, spec: { ...existing.spec, Mode: spec.Mode } }, job ? 'completed' : 'running');
    const tasks = 'failed' in verdict ? verdict.failed : verdict.done ? null : verdict.pending;
    const taskStates = job ? [] : taskDrift(existing, observed.nodes);
    if (differences.length > 0 || tasks !== null || taskStates.length > 0) drifts.push({ service, missing: false, differences, tasks, taskStates });
  }
  return drifts;
}
