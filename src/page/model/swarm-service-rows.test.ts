import { describe, expect, it } from 'vitest';
import type { SwarmServiceStatus } from '../../swarm/controller/swarm-status.js';
import type { PageService } from './page-snapshot.js';
import { withSwarmReplicas } from './swarm-service-rows.js';

// A Swarm project's rows on the page: state and replicas from the controller's view of the cluster.

const row: PageService = { name: 'api', state: 'missing', detail: 'no container', health: '-', replicas: 2, image: 'a:1', ports: [], limits: '-', restarts: 0, backoff: '-', suspended: null, rolledBack: null };
const service = (fields: Partial<SwarmServiceStatus>): SwarmServiceStatus => ({ replicasDesired: 2, replicasRunning: 2, tasksPerNode: { alpha: 1, beta: 1 }, lastOutcome: null, ...fields });

describe('withSwarmReplicas', () => {
  it.each<[name: string, swarm: SwarmServiceStatus, state: string, detail: string]>([
    ['all running', service({}), 'running', 'swarm: 2/2 running on alpha 1, beta 1'],
    ['some running', service({ replicasRunning: 1, tasksPerNode: { alpha: 1 } }), 'starting', 'swarm: 1/2 running on alpha 1'],
    ['none running', service({ replicasRunning: 0, tasksPerNode: {} }), 'missing', 'swarm: 0/2 running'],
    ['scaled to zero', service({ replicasDesired: 0, replicasRunning: 0, tasksPerNode: {} }), 'scaled-to-zero', 'swarm: 0/0 running'],
    ['global', service({ replicasDesired: null, replicasRunning: 3, tasksPerNode: { alpha: 1, beta: 1, gamma: 1 } }), 'running', 'swarm: 3 running (global) on alpha 1, beta 1, gamma 1'],
    ['the last deploy failed', service({ lastOutcome: { result: 'failed', message: 'x', at: 1 } }), 'running', 'swarm: 2/2 running on alpha 1, beta 1; last deploy failed'],
  ])('%s', (_name, swarm, state, detail) => {
    expect(withSwarmReplicas([row], { nodes: {}, services: { api: swarm } })).toEqual([{ ...row, state, detail, replicas: swarm.replicasDesired ?? swarm.replicasRunning }]);
  });

  it('must leave a row the status does not know as it is', () => {
    expect(withSwarmReplicas([row], { nodes: {}, services: {} })).toEqual([row]);
  });
});
