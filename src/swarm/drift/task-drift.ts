import type { ObservedNode, ObservedSwarmService } from '../observe/observed-swarm.js';

// The tasks of a service that are not where Swarm wants them, field by field: a task Swarm wants running
// that is not (yet) running (pending, preparing, starting: being placed or moved), and a task still running
// that Swarm is shutting down or that sits on a drained or down node (moving away). Swarm moves them on its
// own (a drain, a node lost); composelet reports them and never places tasks itself.

export interface SwarmTaskDrift {
  taskId: string;
  /** The node's hostname (its id when the node is gone). */
  node: string;
  /** Where the task is: pending, preparing, starting, running, shutdown... */
  state: string;
  /** What Swarm wants of it: running, shutdown. */
  desiredState: string;
  /** Why it is listed, in words: "not running yet", "moving away from a drained node"... */
  reason: string;
}

export function taskDrift(service: Pick<ObservedSwarmService, 'tasks'>, nodes: readonly ObservedNode[]): SwarmTaskDrift[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const drifts: SwarmTaskDrift[] = [];
  for (const task of service.tasks) {
    const node = byId.get(task.nodeId);
    const reason = reasonOf(task, node);
    if (reason === null) continue;
    drifts.push({ taskId: task.id, node: node?.hostname || task.nodeId || '(unassigned)', state: task.state, desiredState: task.desiredState, reason });
  }
  return drifts.sort((left, right) => left.node.localeCompare(right.node) || left.taskId.localeCompare(right.taskId));
}

function reasonOf(task: ObservedSwarmService['tasks'][number], node: ObservedNode | undefined): string | null {
  const running = task.state === 'running';
  if (task.desiredState === 'running' && !running) return task.error ? `not running: ${task.error}` : 'not running yet';
  if (!running) return null;
  if (task.desiredState !== 'running') return `being stopped (desired ${task.desiredState})`;
  if (node && node.availability !== 'active') return `on a node whose availability is ${node.availability}`;
  if (node && node.state !== 'ready') return `on a node that is ${node.state}`;
  return null;
}

/** One line per task, for plans and drift output: "api: task x1 on node-2 preparing (desired running): not running yet". */
export function renderTaskDrift(service: string, drifts: readonly SwarmTaskDrift[]): string[] {
  return drifts.map((drift) => `${service}: task ${drift.taskId.slice(0, 12)} on ${drift.node} ${drift.state} (desired ${drift.desiredState}): ${drift.reason}`);
}
