import { describe, expect, it } from 'vitest';
import type { DesiredSwarm } from '../mapping/desired-swarm.js';
import type { ServiceSpec } from '../mapping/swarm-types.js';
import type { ObservedSwarm, ObservedTask } from '../observe/observed-swarm.js';
import { swarmProjectStatus } from './swarm-status.js';

// /status for a Swarm project: replicas desired and running, and where the running tasks are.

const task = (nodeId: string, state: string, desiredState = 'running'): ObservedTask => ({ id: `${nodeId}-${state}`, nodeId, desiredState, state, message: '', error: null, exitCode: null, containerId: null, specVersion: 1, createdAt: '2026-01-01T00:00:00Z', templateHash: null });
const desired = (mode: object): DesiredSwarm => ({ projectName: 'p', networks: [], fileObjects: [], services: { app: { Name: 'p_app', Mode: mode, Labels: {} } as unknown as ServiceSpec }, dependencies: { app: [] } });
const observed = (tasks: ObservedTask[]): ObservedSwarm => ({
  services: [{ id: 's', name: 'p_app', version: 1, labels: {}, spec: {}, updateState: null, updateMessage: null, tasks, templateHash: null }],
  networks: [],
  configs: [],
  secrets: [],
  nodes: [
    { id: 'n1', hostname: 'alpha', role: 'manager', availability: 'active', state: 'ready' },
    { id: 'n2', hostname: 'beta', role: 'worker', availability: 'drain', state: 'ready' },
  ],
});

describe('swarmProjectStatus', () => {
  it.each<[name: string, mode: object, tasks: ObservedTask[], expected: object]>([
    ['replicated, all running', { Replicated: { Replicas: 2 } }, [task('n1', 'running'), task('n2', 'running')], { replicasDesired: 2, replicasRunning: 2, tasksPerNode: { alpha: 1, beta: 1 } }],
    ['one starting, one shut down: neither counts', { Replicated: { Replicas: 2 } }, [task('n1', 'running'), task('n1', 'starting'), task('n2', 'shutdown', 'shutdown')], { replicasDesired: 2, replicasRunning: 1, tasksPerNode: { alpha: 1 } }],
    ['a job counts completed tasks', { ReplicatedJob: { TotalCompletions: 1 } }, [task('n2', 'complete', 'complete')], { replicasDesired: 1, replicasRunning: 1, tasksPerNode: { beta: 1 } }],
    ['global: no desired count', { Global: {} }, [task('n1', 'running')], { replicasDesired: null, replicasRunning: 1 }],
    ['no service yet', { Replicated: { Replicas: 3 } }, [], { replicasDesired: 3, replicasRunning: 0, tasksPerNode: {} }],
  ])('%s', (_name, mode, tasks, expected) => {
    const status = swarmProjectStatus(desired(mode), observed(tasks), null);
    expect(status.services['app']).toMatchObject({ ...expected, lastOutcome: null });
    expect(status.nodes).toEqual({ alpha: 'active/ready', beta: 'drain/ready' });
  });

  it('must keep the last outcome from one reconcile to the next until a new one comes', () => {
    const first = swarmProjectStatus(desired({ Replicated: { Replicas: 1 } }), observed([]), null, { app: { result: 'failed', message: 'rolled back', at: 1 } });
    expect(swarmProjectStatus(desired({ Replicated: { Replicas: 1 } }), observed([]), first).services['app']?.lastOutcome).toEqual({ result: 'failed', message: 'rolled back', at: 1 });
  });
});
