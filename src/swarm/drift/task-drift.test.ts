import { describe, expect, it } from 'vitest';
import { observedSwarm, task } from '../observe/observed-swarm.test-support.js';
import type { ObservedTask } from '../observe/observed-swarm.js';
import { renderTaskDrift, taskDrift } from './task-drift.js';

const nodes = observedSwarm().nodes;
const drained = nodes.map((node) => (node.id === 'n1' ? { ...node, availability: 'drain' } : node));

describe('taskDrift', () => {
  it.each<[string, ObservedTask[], typeof nodes, string[]]>([
    ['all running on active nodes', [task({ id: 'a' }), task({ id: 'b', nodeId: 'n2' })], nodes, []],
    [
      'a drain: the old task stopping on the drained node, the new one preparing elsewhere',
      [task({ id: 'old', desiredState: 'shutdown' }), task({ id: 'new', nodeId: 'n2', state: 'preparing' })],
      drained,
      ['node-1 old running -> shutdown: being stopped (desired shutdown)', 'node-2 new preparing -> running: not running yet'],
    ],
    ['still running on a drained node before Swarm moved it', [task({ id: 'a' })], drained, ['node-1 a running -> running: on a node whose availability is drain']],
    ['a task that failed to start says why', [task({ id: 'a', state: 'rejected', error: 'no such image' })], nodes, ['node-1 a rejected -> running: not running: no such image']],
    ['history (shut down, failed before) is not drift', [task({ id: 'a', desiredState: 'shutdown', state: 'failed' }), task({ id: 'b' })], nodes, []],
    ['a task on a node that left the cluster is named by its id', [task({ id: 'a', nodeId: 'gone', state: 'pending' })], nodes, ['gone a pending -> running: not running yet']],
  ])('%s', (_name, tasks, cluster, expected) => {
    const rows = taskDrift({ tasks }, cluster).map((row) => `${row.node} ${row.taskId} ${row.state} -> ${row.desiredState}: ${row.reason}`);
    expect(rows).toEqual(expected);
  });

  it('renders one line per task, naming service, node and state', () => {
    const rows = taskDrift({ tasks: [task({ id: 'abcdefghijklmnop', nodeId: 'n2', state: 'starting' })] }, nodes);
    expect(renderTaskDrift('api', rows)).toEqual(['api: task abcdefghijkl on node-2 starting (desired running): not running yet']);
  });
});
