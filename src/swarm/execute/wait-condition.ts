import type { ObservedSwarmService } from '../observe/observed-swarm.js';

// When a wait on a Swarm service is over. Swarm reports a task `running` only once its healthcheck passed
// (the task stays `starting` until then), so "running" covers service_healthy too.

export type WaitVerdict = { done: true } | { done: false; pending: string } | { failed: string };

export function waitVerdict(service: ObservedSwarmService | null, condition: 'running' | 'completed'): WaitVerdict {
  if (service === null) return { done: false, pending: 'the service is not there yet' };
  if (service.updateState === 'rollback_completed' || service.updateState === 'paused' || service.updateState === 'rollback_paused') {
    return { failed: `Swarm's update ended ${service.updateState}: ${service.updateMessage ?? ''}`.trim() };
  }
  const mode = service.spec['Mode'] as Record<string, Record<string, number>> | undefined;
  if (condition === 'completed') {
    const wanted = mode?.['ReplicatedJob']?.['TotalCompletions'] ?? 1;
    const completed = service.tasks.filter((task) => task.state === 'complete').length;
    const failed = service.tasks.find((task) => task.state === 'failed' || task.state === 'rejected');
    if (completed >= wanted) return { done: true };
    if (failed && service.tasks.every((task) => task.desiredState !== 'running' && task.desiredState !== 'complete' || task.state === 'failed')) {
      return { failed: `its task ${failed.state}: ${failed.error ?? failed.message}` };
    }
    return { done: false, pending: `${completed}/${wanted} completed` };
  }
  const updating = service.updateState === 'updating' || service.updateState === 'rollback_started';
  const replicas = mode?.['Replicated']?.['Replicas'] ?? null;
  const wantedRunning = service.tasks.filter((task) => task.desiredState === 'running');
  const running = wantedRunning.filter((task) => task.state === 'running').length;
  const wanted = replicas ?? wantedRunning.length;
  if (!updating && running >= wanted && running === wantedRunning.length && wanted > 0) return { done: true };
  if (wanted === 0 && !updating) return { done: true };
  const last = service.tasks.at(-1);
  const why = last && last.state !== 'running' ? ` (last task ${last.state}${last.error ? `: ${last.error}` : ''})` : '';
  return { done: false, pending: `${running}/${wanted} running${updating ? ', updating' : ''}${why}` };
}
