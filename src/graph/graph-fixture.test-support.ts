import { convergedContainer, convergedState, projectFromYaml, withContainer } from '../reconciler/observe/observed-builders.test-support.js';
import { liveStates } from './live-states.js';

// A small project for the renderers' tests: every kind of edge (healthy with restart, completed, optional,
// network_mode) and one service in each live state. Not a test file itself.

export const SHOP = `
name: shop
services:
  db:
    image: x
    restart: always
    healthcheck: { test: ["CMD", "true"] }
  migrate:
    image: x
    depends_on: { db: { condition: service_healthy } }
  api:
    image: x
    restart: always
    depends_on:
      db: { condition: service_healthy, restart: true }
      migrate: { condition: service_completed_successfully }
      cache: { condition: service_started, required: false }
  cache:
    image: x
    restart: always
  sidecar:
    image: x
    restart: always
    network_mode: "service:api"
`;

export function shopLiveStates() {
  const project = projectFromYaml(SHOP);
  let observed = convergedState(project);
  observed = withContainer(observed, convergedContainer(project, 'db', 1, { health: 'healthy' }));
  observed = withContainer(observed, convergedContainer(project, 'migrate', 1, { state: 'exited', exitCode: 0 }));
  observed = withContainer(observed, convergedContainer(project, 'api', 1, { health: 'unhealthy' }));
  observed = withContainer(observed, convergedContainer(project, 'sidecar', 1, { state: 'exited', exitCode: 2 }));
  return { project, states: liveStates(project, observed) };
}
