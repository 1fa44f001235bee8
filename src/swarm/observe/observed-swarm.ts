// What a Swarm project looks like on the cluster, as the manager reports it: its services (with their specs
// and tasks), networks, configs and secrets, sorted by name; and the nodes. Plain data: the planner and the
// drift report read it without the engine.

export interface ObservedTask {
  id: string;
  nodeId: string;
  /** What Swarm wants: running, shutdown, complete... */
  desiredState: string;
  /** Where it is: new, pending, assigned, preparing, starting, running, complete, failed, rejected, shutdown... */
  state: string;
  message: string;
  error: string | null;
  exitCode: number | null;
  containerId: string | null;
  /** The service spec version the task was made from. */
  specVersion: number | null;
  /** SHA-256 of the task's own spec (canonical JSON): equal to the service's `templateHash` when the task
   * runs the service's current TaskTemplate, different while an update has not reached it. */
  templateHash: string | null;
  createdAt: string;
}

export interface ObservedSwarmService {
  id: string;
  name: string;
  /** Swarm's object version, required by an update. */
  version: number;
  labels: Record<string, string>;
  /** The spec as the engine returns it (its defaults filled in, networks by id). */
  spec: Record<string, unknown>;
  /** Swarm's own rollout state: updating, paused, completed, rollback_started, rollback_paused, rollback_completed. */
  updateState: string | null;
  updateMessage: string | null;
  /** SHA-256 of the spec's TaskTemplate (canonical JSON), compared with each task's `templateHash`. */
  templateHash: string | null;
  tasks: ObservedTask[];
}

export interface ObservedSwarmObject {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface ObservedNode {
  id: string;
  hostname: string;
  role: string;
  availability: string;
  state: string;
}

export interface ObservedSwarm {
  services: ObservedSwarmService[];
  /** Every network of the cluster (for ids in specs), owned or not. */
  networks: ObservedSwarmObject[];
  configs: ObservedSwarmObject[];
  secrets: ObservedSwarmObject[];
  nodes: ObservedNode[];
}

export function byName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((left, right) => left.name.localeCompare(right.name));
}
