import { COLOUR_LEGEND, STATE_COLOURS, type LiveState } from './live-states.js';
import { edgeLabel, type GraphEdge, type ProjectGraph } from './project-graph.js';

// The graph as a Mermaid flowchart: an arrow from each service to what it waits for, labelled with the
// condition; thick for `restart: true`, dotted for an optional dependency. Nodes are coloured by live
// state with one classDef per state in use. Several projects become one subgraph each. Node ids are the
// service names made safe (`svc_` in front, so no name can clash with Mermaid's keywords such as `end`).
// `notes` become `%%` comment lines at the top (the engine was unreachable...).

export interface RenderOptions {
  notes?: readonly string[];
}

export function renderMermaid(graphs: readonly ProjectGraph[], options: RenderOptions = {}): string {
  const single = graphs.length === 1;
  const lines: string[] = [
    `%% composelet dependency graph${single ? ` of project ${graphs[0]!.projectName}` : ''}: an arrow points from a service to what it waits for`,
    ...(graphs.some((graph) => graph.nodes.some((node) => node.live !== null)) ? [`%% ${COLOUR_LEGEND}`] : []),
    ...(options.notes ?? []).map((note) => `%% ${note}`),
    'flowchart TD',
  ];
  const byState = new Map<LiveState, string[]>();
  graphs.forEach((graph, index) => {
    const ids = nodeIds(graph, single ? 'svc_' : `svc${index + 1}_`);
    const indent = single ? '  ' : '    ';
    if (!single) lines.push(`  subgraph project${index + 1}["project ${graph.projectName}"]`);
    for (const node of graph.nodes) {
      const id = ids.get(node.name)!;
      const label = node.live === null ? node.name : `${node.name}<br/>${node.live.detail}`;
      lines.push(`${indent}${id}["${escapeLabel(label)}"]`);
      if (node.live !== null) byState.set(node.live.state, [...(byState.get(node.live.state) ?? []), id]);
    }
    for (const edge of graph.edges) lines.push(`${indent}${ids.get(edge.from)!} ${arrow(edge)}|"${edgeLabel(edge)}"| ${ids.get(edge.to)!}`);
    if (!single) lines.push('  end');
  });
  for (const [state, ids] of [...byState].sort(([left], [right]) => stateOrder(left) - stateOrder(right))) {
    lines.push(`  classDef ${className(state)} fill:${STATE_COLOURS[state]},color:#000`);
    lines.push(`  class ${ids.join(',')} ${className(state)}`);
  }
  return `${lines.join('\n')}\n`;
}

function arrow(edge: GraphEdge): string {
  if (!edge.required) return '-.->';
  return edge.restart ? '==>' : '-->';
}

function className(state: LiveState): string {
  return state.replaceAll('-', '_');
}

function stateOrder(state: LiveState): number {
  return Object.keys(STATE_COLOURS).indexOf(state);
}

/** Service names ([a-zA-Z0-9._-]) as ids of letters, digits and '_'; a clash gets a number. */
export function nodeIds(graph: ProjectGraph, prefix: string): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of graph.nodes) {
    const base = `${prefix}${node.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let counter = 2; used.has(id); counter += 1) id = `${base}_${counter}`;
    used.add(id);
    ids.set(node.name, id);
  }
  return ids;
}

function escapeLabel(text: string): string {
  return text.replaceAll('"', '#quot;');
}
