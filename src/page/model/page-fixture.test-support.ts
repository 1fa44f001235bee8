import { emptyStatus, type ProjectStatus } from '../../controller/project-status.js';
import { liveStates } from '../../graph/live-states.js';
import { projectGraph } from '../../graph/project-graph.js';
import { convergedContainer, convergedState, projectFromYaml, withContainer } from '../../reconciler/observe/observed-builders.test-support.js';
import { layoutGraph } from '../graph/layout.js';
import type { PageSnapshot } from './page-snapshot.js';
import { serviceRows } from './service-rows.js';

// A snapshot for the render and route tests: one project of three services (db healthy, api unhealthy
// and crash-looping, worker exited), a drift pass with a limits change, a backup, two audit entries.
// Not a test file itself.

export const SHOP_YAML = `
name: shop
services:
  db:
    image: postgres:15
    restart: always
    mem_limit: 256m
    cpus: 0.5
    healthcheck: { test: ["CMD", "true"] }
  api:
    image: shop-api:1
    restart: always
    ports: ["127.0.0.1:8080:80"]
    depends_on: { db: { condition: service_healthy } }
  worker:
    image: shop-worker:1
    restart: always
    depends_on: [db]
`;

export function shopSnapshot(): PageSnapshot {
  const project = projectFromYaml(SHOP_YAML);
  let observed = convergedState(project);
  observed = withContainer(observed, convergedContainer(project, 'db', 1, { health: 'healthy' }));
  observed = withContainer(observed, convergedContainer(project, 'api', 1, { health: 'unhealthy' }));
  observed = withContainer(observed, convergedContainer(project, 'worker', 1, { state: 'exited', exitCode: 137 }));
  const status: ProjectStatus = {
    ...emptyStatus('/srv/shop'),
    projectName: 'shop',
    lastReconcile: { at: Date.UTC(2026, 11, 1, 20, 0, 0), result: 'success', durationMs: 412, operations: 3, failed: 0 },
    services: { api: { restarts: 4, crashLooping: true, backoffSeconds: 40 }, db: { restarts: 0, crashLooping: false, backoffSeconds: 0 } },
  };
  return {
    generatedAt: '2026-12-01T20:00:05.000Z',
    engineConnected: true,
    readOnly: false,
    projects: [
      {
        key: '/srv/shop',
        name: 'shop',
        manifest: { valid: true, issues: [] },
        lastReconcile: status.lastReconcile,
        lastPlan: {
          at: Date.UTC(2026, 11, 1, 19, 59, 0),
          steps: [
            { kind: 'create-container', resource: 'container:shop-api-1', cause: 'spec changed: image acme/api:1 -> acme/api:2', result: 'succeeded' },
            { kind: 'start-container', resource: 'container:shop-api-1', cause: 'new container', result: 'failed' },
          ],
          more: 3,
        },
        commit: null,
        adoption: null,
        services: serviceRows(project, observed.containers, status),
        graph: layoutGraph(projectGraph(project, liveStates(project, observed))),
      },
    ],
    drift: {
      generatedAt: '2026-12-01T20:00:01.000Z',
      projects: [
        {
          name: 'shop',
          status: 'drifted',
          services: [
            { name: 'api', status: 'in-sync', replicas: 1, containers: [], changes: [] },
            {
              name: 'db',
              status: 'drifted',
              replicas: 1,
              containers: [],
              changes: [{ category: 'limits', container: 'shop-db-1', path: '/limits/memoryBytes', op: 'replace', desired: 268435456, live: 100663296, reason: 'memory limit changed: 256 MiB -> 96 MiB' }],
            },
          ],
          changes: [],
          policy: [],
          backups: [],
        },
      ],
    },
    backups: [
      { project: 'shop', definition: 'nightly', service: 'db', lastSuccessAt: '2026-12-01T03:00:00.000Z', lastDurationMs: 1200, lastSizeBytes: 2048, lastVerified: true, failuresSinceSuccess: 0, lastError: null, nextRunAt: '2026-12-02T03:00:00.000Z' },
    ],
    audit: [
      { time: '2026-12-01T20:00:00.000Z', actor: 'controller', user: 'root@host', project: 'shop', service: 'api', action: 'start-container', resource: 'container:shop-api-1', cause: 'crash-loop restart', specHashBefore: null, specHashAfter: null, result: 'succeeded', error: null, manifestCommit: null, durationMs: 300 },
      { time: '2026-12-01T19:59:00.000Z', actor: 'controller', user: 'root@host', project: 'shop', service: 'db', action: 'create-container', resource: 'container:shop-db-1', cause: 'not found', specHashBefore: null, specHashAfter: 'a'.repeat(64), result: 'succeeded', error: null, manifestCommit: null, durationMs: 500 },
    ],
    git: null,
  };
}
