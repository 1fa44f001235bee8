import { describe, expect, it } from 'vitest';
import { service, task } from '../observe/observed-swarm.test-support.js';
import { waitVerdict, type WaitVerdict } from './wait-condition.js';

const two = { spec: { Mode: { Replicated: { Replicas: 2 } } } };

describe('waitVerdict (running)', () => {
  it.each<[string, Parameters<typeof service>[0], { specHash?: string }, WaitVerdict]>([
    ['just created, no UpdateStatus, all running', {}, {}, { done: true }],
    ['update completed, all tasks on the current spec', { updateState: 'completed' }, {}, { done: true }],
    [
      'an update cleared the status and the old task still runs: not yet',
      { tasks: [task({ templateHash: 'old' })] },
      {},
      { done: false, pending: '0/1 running, 1 on the previous spec' },
    ],
    [
      'updating, one of two tasks replaced',
      { ...two, updateState: 'updating', tasks: [task({ id: 'a', templateHash: 'old' }), task({ id: 'b' })] },
      {},
      { done: false, pending: '1/2 running, 1 on the previous spec, updating' },
    ],
    [
      'all new tasks but Swarm still updating (monitor period)',
      { ...two, updateState: 'updating', tasks: [task({ id: 'a' }), task({ id: 'b' })] },
      {},
      { done: false, pending: '2/2 running, updating' },
    ],
    [
      'a new task starting (its healthcheck has not passed)',
      { tasks: [task({ state: 'starting' })] },
      {},
      { done: false, pending: '0/1 running (last task starting)' },
    ],
    [
      'Swarm rolled composelet\'s update back',
      { updateState: 'rollback_completed', updateMessage: 'update rolled back due to failure', labels: { 'io.composelet.spec-hash': 'old' } },
      { specHash: 'new' },
      { failed: "Swarm rolled the update back (rollback_completed): update rolled back due to failure", kind: 'rolled-back' },
    ],
    [
      'a rollback left from an earlier apply, on a service composelet did not touch: done when its tasks run',
      { updateState: 'rollback_completed', labels: { 'io.composelet.spec-hash': 'old' } },
      {},
      { done: true },
    ],
    ['Swarm paused the update', { updateState: 'paused', updateMessage: 'update paused due to failure' }, { specHash: 'new' }, { failed: "Swarm's update ended paused: update paused due to failure", kind: 'paused' }],
    ['Swarm paused its rollback', { updateState: 'rollback_paused' }, { specHash: 'new' }, { failed: "Swarm's update ended rollback_paused", kind: 'paused' }],
    ['rolling back: not over', { updateState: 'rollback_started', labels: {} }, { specHash: 'new' }, { done: false, pending: '1/1 running, rollback_started' }],
    ['scaled to zero', { spec: { Mode: { Replicated: { Replicas: 0 } } }, tasks: [task({ desiredState: 'shutdown', state: 'shutdown' })] }, {}, { done: true }],
  ])('%s', (_name, overrides, expectation, expected) => {
    expect(waitVerdict(service(overrides), 'running', expectation)).toEqual(expected);
  });

  it('must wait for a service that is not there yet', () => {
    expect(waitVerdict(null, 'running')).toEqual({ done: false, pending: 'the service is not there yet' });
  });
});

describe('waitVerdict (completed)', () => {
  const job = { spec: { Mode: { ReplicatedJob: { TotalCompletions: 1 } } } };
  it.each<[string, Parameters<typeof service>[0], WaitVerdict]>([
    ['its task completed', { ...job, tasks: [task({ desiredState: 'complete', state: 'complete' })] }, { done: true }],
    ['its task runs', { ...job, tasks: [task({ desiredState: 'complete' })] }, { done: false, pending: '0/1 completed' }],
    ['its task failed', { ...job, tasks: [task({ desiredState: 'complete', state: 'failed', error: 'task: non-zero exit (1)' })] }, { failed: 'its task failed: task: non-zero exit (1)', kind: 'failed' }],
  ])('%s', (_name, overrides, expected) => {
    expect(waitVerdict(service(overrides), 'completed')).toEqual(expected);
  });
});
