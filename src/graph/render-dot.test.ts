import { describe, expect, it } from 'vitest';
import { projectFromYaml } from '../reconciler/observe/observed-builders.test-support.js';
import { projectGraph } from './project-graph.js';
import { renderDot } from './render-dot.js';
import { SHOP, shopLiveStates } from './graph-fixture.test-support.js';

describe('dot graph', () => {
  it('a project must be drawn with labelled edges and nodes filled by live state', () => {
    const { project, states } = shopLiveStates();
    expect(renderDot([projectGraph(project, states)])).toBe(`// composelet dependency graph of project shop: an arrow points from a service to what it waits for
// green: running and healthy; light green: running, no healthcheck; yellow: starting; orange: unhealthy; red: exited or missing; grey: completed one-shot
digraph "shop" {
  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];
  "api" [label="api\\nrunning, unhealthy", fillcolor="#ffb74d"];
  "cache" [label="cache\\nrunning", fillcolor="#c8e6c9"];
  "db" [label="db\\nrunning, healthy", fillcolor="#4caf50"];
  "migrate" [label="migrate\\ncompleted", fillcolor="#bdbdbd"];
  "sidecar" [label="sidecar\\nexited (2)", fillcolor="#e57373"];
  "api" -> "cache" [label="started, optional", style=dashed];
  "api" -> "db" [label="healthy, restart", style=bold];
  "api" -> "migrate" [label="completed"];
  "migrate" -> "db" [label="healthy"];
  "sidecar" -> "api" [label="network"];
}
`);
  });

  it('without live state the nodes must be plain and the note must say why', () => {
    const project = projectFromYaml('name: solo\nservices:\n  web: { image: x }\n');
    expect(renderDot([projectGraph(project, null)], { notes: ['services drawn without their live state: cannot reach the Docker engine'] }))
      .toBe(`// composelet dependency graph of project solo: an arrow points from a service to what it waits for
// services drawn without their live state: cannot reach the Docker engine
digraph "solo" {
  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];
  "web" [label="web"];
}
`);
  });

  it('several projects must each become a cluster', () => {
    const first = projectFromYaml('name: one\nservices:\n  web: { image: x, depends_on: [db] }\n  db: { image: x }\n');
    const second = projectFromYaml('name: two\nservices:\n  web: { image: x }\n');
    expect(renderDot([projectGraph(first, null), projectGraph(second, null)])).toBe(`// composelet dependency graph: an arrow points from a service to what it waits for
digraph "composelet" {
  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];
  subgraph "cluster_one" {
    label="project one";
    "one/db" [label="db"];
    "one/web" [label="web"];
    "one/web" -> "one/db" [label="started"];
  }
  subgraph "cluster_two" {
    label="project two";
    "two/web" [label="web"];
  }
}
`);
  });
});
