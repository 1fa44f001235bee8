import type { DependencyCondition, Project } from '../desired-state/model.js';
import type { ServiceLiveState } from './live-states.js';

// The dependency graph of one project as the renderers draw it: a node per service (with its live state
// when the engine answered) and an edge from each service to each service it waits for, labelled with
// the condition (started, healthy, completed), marked when the dependent restarts with its dependency
// (`restart: true`) and when the dependency is optional (`required: false`). `network_mode: service:X`
// is an edge too: the service cannot start before X.

export interface GraphNode {
  name: string;
  live: ServiceLiveState | null;
}

export interface GraphEdge {
  /** The dependent. */
  from: string;
  /** What it waits for. */
  to: string;
  condition: 'started' | 'healthy' | 'completed' | 'network';
  restart: boolean;
  required: boolean;
}

export interface ProjectGraph {
  projectName: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const CONDITION_WORDS: Record<DependencyCondition, GraphEdge['condition']> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

export function projectGraph(project: Project, live: Record<string, ServiceLiveState> | null): ProjectGraph {
  const names = Object.keys(project.services).sort(compareText);
  const edges: GraphEdge[] = [];
  for (const name of names) {
    const service = project.services[name]!;
    for (const target of Object.keys(service.dependsOn).sort(compareText)) {
      if (!(target in project.services)) continue;
      const dependency = service.dependsOn[target]!;
      edges.push({ from: name, to: target, condition: CONDITION_WORDS[dependency.condition], restart: dependency.restart, required: dependency.required });
    }
    const shared = service.networkMode?.startsWith('service:') ? service.networkMode.slice('service:'.length) : null;
    if (shared !== null && shared in project.services && !(shared in service.dependsOn)) {
      edges.push({ from: name, to: shared, condition: 'network', restart: false, required: true });
    }
  }
  return { projectName: project.name, nodes: names.map((name) => ({ name, live: live?.[name] ?? null })), edges };
}

/** "healthy", "healthy, restart", "started, optional". */
export function edgeLabel(edge: GraphEdge): string {
  return [edge.condition, ...(edge.restart ? ['restart'] : []), ...(edge.required ? [] : ['optional'])].join(', ');
}

export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
