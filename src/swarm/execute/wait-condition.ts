import type { ObservedSwarmService } from '../observe/observed-swarm.js';
import { SPEC_HASH } from '../model/swarm-labels.js';

// When a wait on a Swarm service is over. Swarm reports a task `running` only once its healthcheck passed
// (the task stays `starting` until then), so "running" covers service_healthy too. After an update, the
// wait is over only when Swarm's UpdateStatus says completed (or there is none: a creation, or a change
// that needs no new tasks; the engine clears it on every update) AND every task Swarm wants running runs
// the service's current TaskTemplate: old tasks still running do not release the dependents.
// Swarm's own outcome of a rollout ends the wait too: `rollback_completed` (failure_action: rollback) after
// composelet's update is `rolled-back`; `paused` and `rollback_paused` are `paused`.

export type WaitVerdict =
  | { done: true }
  | { done: false; pending: string }
  | { failed: string; kind: 'failed' | 'rolled-back' | 'paused' };

export interface WaitExpectation {
  /** The spec hash composelet just created or updated the service with; absent for a service it did not
   * touch (then a `rollback_completed` left from an earlier apply is history, not this wait's failure). */
  specHash?: string;
}

export function waitVerdict(service: ObservedSwarmService | null, condition: 'running' | 'completed', expectation: WaitExpectation = {}): WaitVerdict {
  if (service === null) return { done: false, pending: 'the service is not there yet' };
  const swarmSays = service.updateMessage ? `: ${service.updateMessage}` : '';
  if (service.updateState === 'paused' || service.updateState === 'rollback_paused') {
    return { failed: `Swarm's update ended ${service.updateState}${swarmSays}`, kind: 'paused' };
  }
  const rolledBack = service.updateState === 'rollback_completed';
  if (rolledBack && expectation.specHash !== undefined && service.labels[SPEC_HASH] !== expectation.specHash) {
    return { failed: `Swarm rolled the update back (rollback_completed)${swarmSays}`, kind: 'rolled-back' };
  }
  const mode = service.spec['Mode'] as Record<string, Record<string, number>> | undefined;
  if (condition === 'completed') return completedVerdict(service, mode?.['ReplicatedJob']?.['TotalCompletions'] ?? 1);
  const updating = service.updateState === 'updating' || service.updateState === 'rollback_started';
  const replicas = mode?.['Replicated']?.['Replicas'] ?? null;
  const wantedRunning = service.tasks.filter((task) => task.desiredState === 'running');
  const current = (task: ObservedSwarmService['tasks'][number]) => service.templateHash === null || task.templateHash === service.templateHash;
  const running = wantedRunning.filter((task) => task.state === 'running' && current(task)).length;
  const outdated = wantedRunning.filter((task) => !current(task)).length;
  const wanted = replicas ?? wantedRunning.length;
  if (!updating && outdated === 0 && running >= wanted && running === wantedRunning.length) return { done: true };
  const last = service.tasks.at(-1);
  const why = last && last.state !== 'running' ? ` (last task ${last.state}${last.error ? `: ${last.error}` : ''})` : '';
  const old = outdated > 0 ? `, ${outdated} on the previous spec` : '';
  return { done: false, pending: `${running}/${wanted} running${old}${updating ? `, ${service.updateState}` : ''}${why}` };
}

function completedVerdict(service: ObservedSwarmService, wanted: number): WaitVerdict {
  const completed = service.tasks.filter((task) => task.state === 'complete').length;
  const failed = service.tasks.find((task) => task.state === 'failed' || task.state === 'rejected');
  if (completed >= wanted) return { done: true };
  if (failed && service.tasks.every((task) => (task.desiredState !== 'running' && task.desiredState !== 'complete') || task.state === 'failed')) {
    return { failed: `its task ${failed.state}: ${failed.error ?? failed.message}`, kind: 'failed' };
  }
  return { done: false, pending: `${completed}/${wanted} completed` };
}
