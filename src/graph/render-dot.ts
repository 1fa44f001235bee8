import { COLOUR_LEGEND, STATE_COLOURS } from './live-states.js';
import { edgeLabel, type GraphEdge, type ProjectGraph } from './project-graph.js';
import type { RenderOptions } from './render-mermaid.js';

// The graph in Graphviz DOT: an arrow from each service to what it waits for, labelled with the
// condition; bold for `restart: true`, dashed for an optional dependency; nodes filled with their live
// state's colour. Several projects become one cluster each (node ids `project/service`). `notes` become
// `//` comment lines at the top.

export function renderDot(graphs: readonly ProjectGraph[], options: RenderOptions = {}): string {
  const single = graphs.length === 1;
  const lines: string[] = [
    `// composelet dependency graph${single ? ` of project ${graphs[0]!.projectName}` : ''}: an arrow points from a service to what it waits for`,
    ...(graphs.some((graph) => graph.nodes.some((node) => node.live !== null)) ? [`// ${COLOUR_LEGEND}`] : []),
    ...(options.notes ?? []).map((note) => `// ${note}`),
    `digraph ${quote(single ? graphs[0]!.projectName : 'composelet')} {`,
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];',
  ];
  for (const graph of graphs) {
    const id = (name: string) => quote(single ? name : `${graph.projectName}/${name}`);
    const indent = single ? '  ' : '    ';
    if (!single) lines.push(`  subgraph ${quote(`cluster_${graph.projectName}`)} {`, `    label=${quote(`project ${graph.projectName}`)};`);
    for (const node of graph.nodes) {
      const attributes =
        node.live === null
          ? `label=${quote(node.name)}`
          : `label=${quote(`${node.name}\n${node.live.detail}`)}, fillcolor=${quote(STATE_COLOURS[node.live.state])}`;
      lines.push(`${indent}${id(node.name)} [${attributes}];`);
    }
    for (const edge of graph.edges) lines.push(`${indent}${id(edge.from)} -> ${id(edge.to)} [${edgeAttributes(edge)}];`);
    if (!single) lines.push('  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function edgeAttributes(edge: GraphEdge): string {
  const style = !edge.required ? 'dashed' : edge.restart ? 'bold' : null;
  return `label=${quote(edgeLabel(edge))}${style === null ? '' : `, style=${style}`}`;
}

/** A DOT quoted string; a line break becomes `\n` (DOT's centred line break). */
function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}
