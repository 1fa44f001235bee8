import type { RawTask } from './swarm-backup-port.js';

// Where a service's database runs: the task Swarm wants running and reports running, with its container,
// its node and its address on the service's own (non-ingress) network. Pure: the manager's task list in,
// one task out; the newest when a rolling update briefly runs two.

export interface TaskLocation {
  taskId: string;
  containerId: string;
  nodeId: string;
  /** The node's hostname as the manager knows it ('' when the node is gone). */
  nodeHostname: string;
  image: string;
  labels: Record<string, string>;
  /** The task's IP on its first non-ingress network, without the prefix length; null when it has none. */
  address: string | null;
  createdAt: string;
}

export function runningTask(tasks: readonly RawTask[], nodeHostnames: ReadonlyMap<string, string>): TaskLocation | null {
  const running = tasks
    .filter((task) => task.DesiredState === 'running' && task.Status?.State === 'running' && task.Status.ContainerStatus?.ContainerID)
    .sort((left, right) => (right.CreatedAt ?? '').localeCompare(left.CreatedAt ?? '') || left.ID.localeCompare(right.ID));
  const task = running[0];
  if (!task) return null;
  return {
    taskId: task.ID,
    containerId: task.Status!.ContainerStatus!.ContainerID!,
    nodeId: task.NodeID ?? '',
    nodeHostname: nodeHostnames.get(task.NodeID ?? '') ?? '',
    image: task.Spec?.ContainerSpec?.Image ?? '',
    labels: task.Spec?.ContainerSpec?.Labels ?? {},
    address: taskAddress(task),
    createdAt: task.CreatedAt ?? '',
  };
}

export function taskAddress(task: RawTask): string | null {
  const attachment = (task.NetworksAttachments ?? []).find((candidate) => candidate.Network?.Spec?.Ingress !== true && (candidate.Addresses ?? []).length > 0);
  const address = attachment?.Addresses?.[0];
  return address ? address.replace(/\/\d+$/, '') : null;
}

/** Why there is no task to back up from, in the user's words. */
export function noRunningTaskMessage(service: string, tasks: readonly RawTask[]): string {
  if (tasks.length === 0) return `service "${service}" has no task on the Swarm: apply the project first`;
  const latest = [...tasks].sort((left, right) => (right.CreatedAt ?? '').localeCompare(left.CreatedAt ?? ''))[0]!;
  const detail = latest.Status?.Err ? `: ${latest.Status.Err}` : '';
  return `service "${service}" has no running task on the Swarm (its newest is ${latest.Status?.State ?? 'unknown'}${detail})`;
}
