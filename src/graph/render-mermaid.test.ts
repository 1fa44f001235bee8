import { describe, expect, it } from 'vitest';
import { projectFromYaml } from '../reconciler/observe/observed-builders.test-support.js';
import { SHOP, shopLiveStates } from './graph-fixture.test-support.js';
import { projectGraph } from './project-graph.js';
import { renderMermaid } from './render-mermaid.js';

describe('mermaid graph', () => {
  it('a project must be drawn with labelled edges and nodes coloured by live state', () => {
    const { project, states } = shopLiveStates();
    expect(renderMermaid([projectGraph(project, states)])).toBe(`%% composelet dependency graph of project shop: an arrow points from a service to what it waits for
%% green: running and healthy; light green: running, no healthcheck; yellow: starting; orange: unhealthy; red: exited or missing; grey: completed one-shot
flowchart TD
  svc_api["api<br/>running, unhealthy"]
  svc_cache["cache<br/>running"]
  svc_db["db<br/>running, healthy"]
  svc_migrate["migrate<br/>completed"]
  svc_sidecar["sidecar<br/>exited (2)"]
  svc_api -.->|"started, optional"| svc_cache
  svc_api ==>|"healthy, restart"| svc_db
  svc_api -->|"completed"| svc_migrate
  svc_migrate -->|"healthy"| svc_db
  svc_sidecar -->|"network"| svc_api
  classDef healthy fill:#4caf50,color:#000
  class svc_db healthy
  classDef running fill:#c8e6c9,color:#000
  class svc_cache running
  classDef unhealthy fill:#ffb74d,color:#000
  class svc_api unhealthy
  classDef stopped fill:#e57373,color:#000
  class svc_sidecar stopped
  classDef completed fill:#bdbdbd,color:#000
  class svc_migrate completed
`);
  });

  it('without live state the nodes must be plain and the note must say why', () => {
    const project = projectFromYaml(SHOP);
    const text = renderMermaid([projectGraph(project, null)], { notes: ['services drawn without their live state: cannot reach the Docker engine'] });
    expect(text).toBe(`%% composelet dependency graph of project shop: an arrow points from a service to what it waits for
%% services drawn without their live state: cannot reach the Docker engine
flowchart TD
  svc_api["api"]
  svc_cache["cache"]
  svc_db["db"]
  svc_migrate["migrate"]
  svc_sidecar["sidecar"]
  svc_api -.->|"started, optional"| svc_cache
  svc_api ==>|"healthy, restart"| svc_db
  svc_api -->|"completed"| svc_migrate
  svc_migrate -->|"healthy"| svc_db
  svc_sidecar -->|"network"| svc_api
`);
  });

  it('several projects must each become a subgraph with ids that cannot clash', () => {
    const first = projectFromYaml('name: one\nservices:\n  end: { image: x }\n  web-1: { image: x, depends_on: [end] }\n  web_1: { image: x }\n');
    const second = projectFromYaml('name: two\nservices:\n  end: { image: x }\n');
    expect(renderMermaid([projectGraph(first, null), projectGraph(second, null)])).toBe(`%% composelet dependency graph: an arrow points from a service to what it waits for
flowchart TD
  subgraph project1["project one"]
    svc1_end["end"]
    svc1_web_1["web-1"]
    svc1_web_1_2["web_1"]
    svc1_web_1 -->|"started"| svc1_end
  end
  subgraph project2["project two"]
    svc2_end["end"]
  end
`);
  });
});
