import type { Project, Service } from '../desired-state/model.js';
import type { ObservedContainer, ObservedState } from '../reconciler/observe/observed-state.js';
import { hasCompleted, isOneShot } from '../reconciler/one-shot.js';

// Each service's live state, for colouring the graph: from one observed snapshot (list calls only), the
// worst state among its replicas: missing or stopped, then unhealthy, starting, running without a
// healthcheck, healthy; a one-shot that exited 0 is completed.

export type LiveState = 'missing' | 'stopped' | 'unhealthy' | 'starting' | 'running' | 'healthy' | 'completed' | 'scaled-to-zero';

export interface ServiceLiveState {
  state: LiveState;
  /** In words, for the node's label: "running, healthy", "exited (1)", "2/3 running; missing". */
  detail: string;
}

/** Worst first: the state a service with several replicas shows. */
const SEVERITY: readonly LiveState[] = ['missing', 'stopped', 'unhealthy', 'starting', 'running', 'healthy', 'completed', 'scaled-to-zero'];

/** Fill colours, one per state: green, light green, yellow, orange, red, grey. */
export const STATE_COLOURS: Record<LiveState, string> = {
  healthy: '#4caf50',
  running: '#c8e6c9',
  starting: '#fff176',
  unhealthy: '#ffb74d',
  stopped: '#e57373',
  missing: '#e57373',
  completed: '#bdbdbd',
  'scaled-to-zero': '#bdbdbd',
};

export const COLOUR_LEGEND =
  'green: running and healthy; light green: running, no healthcheck; yellow: starting; orange: unhealthy; red: exited or missing; grey: completed one-shot';


export function containerLiveState(container: ObservedContainer, oneShot: boolean): ServiceLiveState {
  switch (container.state) {
    case 'running':
      if (container.health === 'healthy') return { state: 'healthy', detail: 'running, healthy' };
      if (container.health === 'unhealthy') return { state: 'unhealthy', detail: 'running, unhealthy' };
      if (container.health === 'starting') return { state: 'starting', detail: 'running, health: starting' };
      return { state: 'running', detail: 'running' };
    case 'created':
    case 'restarting':
      if (oneShot && hasCompleted(container)) return { state: 'completed', detail: 'completed (adopted)' };
      return { state: 'starting', detail: container.state };
    case 'exited':
      if (oneShot && hasCompleted(container)) return { state: 'completed', detail: 'completed' };
      return { state: 'stopped', detail: `exited (${container.exitCode ?? '?'})` };
    default:
      return { state: 'stopped', detail: container.state };
  }
}

export function serviceLiveState(service: Service, containers: readonly ObservedContainer[]): ServiceLiveState {
  if (service.replicas === 0) return { state: 'scaled-to-zero', detail: 'scaled to 0' };
  const oneShot = isOneShot(service);
  const states = containers.map((container) => containerLiveState(container, oneShot));
  for (let missing = containers.length; missing < service.replicas; missing += 1) states.push({ state: 'missing', detail: 'missing' });
  const worst = [...states].sort((left, right) => SEVERITY.indexOf(left.state) - SEVERITY.indexOf(right.state))[0]!;
  if (service.replicas === 1) return worst;
  const running = containers.filter((container) => container.state === 'running').length;
  const summary = `${running}/${service.replicas} running`;
  return { state: worst.state, detail: worst.detail === 'running' ? summary : `${summary}; ${worst.detail}` };
}

/** Service name -> live state, for every desired service; owned containers only. */
export function liveStates(project: Project, observed: ObservedState): Record<string, ServiceLiveState> {
  const result: Record<string, ServiceLiveState> = {};
  for (const service of Object.values(project.services)) {
    const containers = observed.containers.filter((container) => container.owned && container.service === service.name);
    result[service.name] = serviceLiveState(service, containers);
  }
  return result;
}
