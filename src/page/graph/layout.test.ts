import { describe, expect, it } from 'vitest';
import { shopLiveStates } from '../../graph/graph-fixture.test-support.js';
import { projectGraph } from '../../graph/project-graph.js';
import { layoutGraph, nodeWidth } from './layout.js';
import { renderGraphSvg } from './render-svg.js';

describe('the dependency graph laid out by dagre', () => {
  const { project, states } = shopLiveStates();
  const layout = layoutGraph(projectGraph(project, states));

  it('must have one node per service, inside the drawing, none overlapping', () => {
    expect(layout.nodes.map((node) => node.name).sort()).toEqual(Object.keys(project.services).sort());
    for (const node of layout.nodes) {
      expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
      expect(node.y + node.height / 2).toBeLessThanOrEqual(layout.height);
    }
    for (const left of layout.nodes) {
      for (const right of layout.nodes) {
        if (left === right) continue;
        const apart = Math.abs(left.x - right.x) >= (left.width + right.width) / 2 || Math.abs(left.y - right.y) >= (left.height + right.height) / 2;
        expect(apart, `${left.name} and ${right.name} overlap`).toBe(true);
      }
    }
  });

  it('must draw what waits above what it waits for, each edge with points', () => {
    const y = Object.fromEntries(layout.nodes.map((node) => [node.name, node.y]));
    for (const edge of layout.edges) {
      expect(y[edge.from]!, `${edge.from} -> ${edge.to}`).toBeLessThan(y[edge.to]!);
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
    }
  });

  it.each([
    ['db', 'healthy'],
    ['api', 'unhealthy'],
    ['sidecar', 'stopped'],
    ['migrate', 'completed'],
  ])('%s must be coloured as %s', (service, state) => {
    expect(renderGraphSvg('shop', layout).value).toMatch(new RegExp(`<g class="node state-${state}" data-service="${service}" data-state="${state}"`));
  });

  it.each([
    ['db', 'running', 96],
    ['a-very-long-service-name-here', 'running', 242],
  ])('a node for %s (%s) must be %i wide', (name, detail, width) => {
    expect(nodeWidth(name, detail)).toBe(width);
  });
});
