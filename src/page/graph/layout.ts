import { graphlib, layout } from '@dagrejs/dagre';
import { edgeLabel, type ProjectGraph } from '../../graph/project-graph.js';
import type { LiveState } from '../../graph/live-states.js';

// The dependency graph laid out on the server by dagre (a maintained layout library; no hand-written
// layout): each service a box, each depends_on an edge from the dependent down to what it waits for. The
// page draws the boxes and the edges' polylines from these coordinates (render-svg.ts), so the browser
// needs no layout code and the graph shows with JavaScript off.

export interface LaidOutNode {
  name: string;
  state: LiveState | 'unknown';
  detail: string;
  /** Centre of the box. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  label: string;
  points: Array<{ x: number; y: number }>;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

const NODE_HEIGHT = 44;
const CHARACTER_WIDTH = 7.5;

/** Wide enough for the name and the state detail in the page's font. */
export function nodeWidth(name: string, detail: string): number {
  return Math.max(96, Math.ceil(Math.max(name.length, detail.length) * CHARACTER_WIDTH) + 24);
}

export function layoutGraph(graph: ProjectGraph): GraphLayout {
  const layered = new graphlib.Graph();
  layered.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 48, marginx: 8, marginy: 8 });
  layered.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const detail = node.live?.detail ?? 'unknown';
    layered.setNode(node.name, { width: nodeWidth(node.name, detail), height: NODE_HEIGHT });
  }
  for (const edge of graph.edges) layered.setEdge(edge.from, edge.to, {});
  layout(layered);
  const size = layered.graph();
  return {
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    nodes: graph.nodes.map((node) => {
      const placed = layered.node(node.name);
      return {
        name: node.name,
        state: node.live?.state ?? 'unknown',
        detail: node.live?.detail ?? 'unknown',
        x: Math.round(placed.x),
        y: Math.round(placed.y),
        width: placed.width,
        height: placed.height,
      };
    }),
    edges: graph.edges.map((edge) => ({
      from: edge.from,
      to: edge.to,
      label: edgeLabel(edge),
      points: ((layered.edge(edge.from, edge.to)?.points ?? []) as Array<{ x: number; y: number }>).map((point) => ({ x: Math.round(point.x), y: Math.round(point.y) })),
    })),
  };
}
