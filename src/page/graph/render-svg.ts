import { html, type SafeHtml } from '../render/html.js';
import type { GraphLayout } from './layout.js';

// The laid-out graph as inline SVG: one <g class="node" data-service data-state> per service (coloured by
// the stylesheet from its state), one polyline per edge with an arrow at what it waits for. role="img"
// with a title that says the same in words, for screen readers.

export function renderGraphSvg(projectName: string, layout: GraphLayout): SafeHtml {
  const summary = layout.nodes.map((node) => `${node.name}: ${node.detail}`).join('; ');
  const markerId = `arrow-${projectName.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const edges = layout.edges.map((edge) => {
    const points = edge.points.map((point) => `${point.x},${point.y}`).join(' ');
    const middle = edge.points[Math.floor(edge.points.length / 2)];
    return html`<g class="edge" data-from="${edge.from}" data-to="${edge.to}"><polyline points="${points}" marker-end="url(#${markerId})"></polyline>${
      middle ? html`<text class="edge-label" x="${middle.x + 4}" y="${middle.y}">${edge.label}</text>` : ''
    }</g>`;
  });
  const nodes = layout.nodes.map(
    (node) =>
      html`<g class="node state-${node.state}" data-service="${node.name}" data-state="${node.state}" transform="translate(${node.x - node.width / 2},${node.y - node.height / 2})"><rect width="${node.width}" height="${node.height}" rx="6"></rect><text class="node-name" x="${node.width / 2}" y="18">${node.name}</text><text class="node-detail" x="${node.width / 2}" y="34">${node.detail}</text></g>`,
  );
  return html`<svg class="graph" role="img" aria-labelledby="${markerId}-title" viewBox="0 0 ${Math.max(layout.width, 1)} ${Math.max(layout.height, 1)}" width="${layout.width}" height="${layout.height}" data-project="${projectName}"><title id="${markerId}-title">Dependency graph of ${projectName}: ${summary}</title><defs><marker id="${markerId}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"></path></marker></defs>${edges}${nodes}</svg>`;
}
