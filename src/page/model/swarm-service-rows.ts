import type { SwarmProjectStatus } from '../../swarm/controller/swarm-status.js';
import type { PageService } from './page-snapshot.js';

// A project that targets Swarm runs as Swarm services, not as containers on this engine: its rows take
// their state and replica counts from the controller's status (tasks running, and on which nodes). Pure.

export function withSwarmReplicas(rows: readonly PageService[], swarm: SwarmProjectStatus): PageService[] {
  return rows.map((row) => {
    const service = swarm.services[row.name];
    if (!service) return row;
    const wanted = service.replicasDesired;
    const nodes = Object.entries(service.tasksPerNode).map(([node, count]) => `${node} ${count}`).join(', ');
    const running = wanted === null ? `${service.replicasRunning} running (global)` : `${service.replicasRunning}/${wanted} running`;
    const state: PageService['state'] = wanted === 0 ? 'scaled-to-zero' : service.replicasRunning === 0 ? 'missing' : wanted !== null && service.replicasRunning < wanted ? 'starting' : 'running';
    const outcome = service.lastOutcome && service.lastOutcome.result !== 'succeeded' ? `; last deploy ${service.lastOutcome.result}` : '';
    return { ...row, state, replicas: wanted ?? service.replicasRunning, detail: `swarm: ${running}${nodes ? ` on ${nodes}` : ''}${outcome}` };
  });
}
