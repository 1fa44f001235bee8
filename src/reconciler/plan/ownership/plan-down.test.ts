import { describe, expect, it } from 'vitest';
import { OWNED_BY_COMPOSELET } from '../../labels.js';
import type { ObservedState } from '../../observe/observed-state.js';
import {
  convergedContainer,
  convergedState,
  lines,
  named,
  observedNetwork,
  observedVolume,
  orphanContainer,
  projectFromYaml,
  withContainer,
} from '../../observe/observed-builders.test-support.js';
import { planDown } from '../planner.js';
import { renderPlan } from '../render-plan.js';

const STACK = projectFromYaml(`
name: demo
services:
  db: { image: postgres:16, stop_grace_period: 1m, volumes: ["data:/var/lib/postgresql/data"] }
  api: { image: acme/api:1, depends_on: [db], stop_signal: SIGINT }
  web: { image: nginx:1, depends_on: [api] }
volumes:
  data: {}
  shared: { external: true }
`);

/** The stack running, an orphan, and objects with the project label that composelet does not own. */
function crowded(): ObservedState {
  const legacy = orphanContainer('demo', 'legacy', 1, { owned: false });
  delete legacy.labels[OWNED_BY_COMPOSELET];
  const state = convergedState(STACK);
  return {
    ...state,
    containers: [...state.containers, orphanContainer('demo', 'old'), legacy].sort((left, right) => (left.name < right.name ? -1 : 1)),
    networks: [...state.networks, observedNetwork('demo', 'demo_extra', { owned: false })],
    volumes: [...state.volumes, observedVolume('demo', 'demo_cache', { owned: false })],
  };
}

interface DownScenario {
  name: string;
  withDesired: boolean;
  state: () => ObservedState;
  removeVolumes: boolean;
  expected: string;
}

describe('planDown', () => {
  it.each(
    named<DownScenario>([
      {
        name: 'down must stop dependents before their dependencies and remove only owned objects',
        withDesired: true,
        state: crowded,
        removeVolumes: false,
        expected: lines(`
          [0] stop-container container:demo-old-1 timeout=10s (down)
          [1] remove-container container:demo-old-1 (down) after [0]
          [2] stop-container container:demo-web-1 timeout=10s (down)
          [3] remove-container container:demo-web-1 (down) after [2]
          [4] stop-container container:demo-api-1 signal=SIGINT timeout=10s (down) after [2]
          [5] remove-container container:demo-api-1 (down) after [4]
          [6] stop-container container:demo-db-1 timeout=60s (down) after [4]
          [7] remove-container container:demo-db-1 (down) after [6]
          [8] remove-network network:demo_default (down) after [1,3,5,7]
          - container:demo-legacy-1: not owned by composelet: left alone
          - network:demo_extra: not owned by composelet: left alone
        `),
      },
      {
        name: 'down --volumes must remove owned volumes and anonymous volumes, never external or unowned ones',
        withDesired: true,
        state: crowded,
        removeVolumes: true,
        expected: lines(`
          [0] stop-container container:demo-old-1 timeout=10s (down)
          [1] remove-container container:demo-old-1 anonymous-volumes (down) after [0]
          [2] stop-container container:demo-web-1 timeout=10s (down)
          [3] remove-container container:demo-web-1 anonymous-volumes (down) after [2]
          [4] stop-container container:demo-api-1 signal=SIGINT timeout=10s (down) after [2]
          [5] remove-container container:demo-api-1 anonymous-volumes (down) after [4]
          [6] stop-container container:demo-db-1 timeout=60s (down) after [4]
          [7] remove-container container:demo-db-1 anonymous-volumes (down) after [6]
          [8] remove-network network:demo_default (down) after [1,3,5,7]
          [9] remove-volume volume:demo_data (down) after [1,3,5,7]
          - container:demo-legacy-1: not owned by composelet: left alone
          - network:demo_extra: not owned by composelet: left alone
          - volume:demo_cache: not owned by composelet: left alone
        `),
      },
      {
        name: 'down without manifests must remove every owned object with no order among containers',
        withDesired: false,
        state: crowded,
        removeVolumes: false,
        expected: lines(`
          [0] stop-container container:demo-api-1 timeout=10s (down)
          [1] remove-container container:demo-api-1 (down) after [0]
          [2] stop-container container:demo-db-1 timeout=10s (down)
          [3] remove-container container:demo-db-1 (down) after [2]
          [4] stop-container container:demo-old-1 timeout=10s (down)
          [5] remove-container container:demo-old-1 (down) after [4]
          [6] stop-container container:demo-web-1 timeout=10s (down)
          [7] remove-container container:demo-web-1 (down) after [6]
          [8] remove-network network:demo_default (down) after [1,3,5,7]
          - container:demo-legacy-1: not owned by composelet: left alone
          - network:demo_extra: not owned by composelet: left alone
        `),
      },
      {
        name: 'down must remove a stopped container without stopping it, and still stop its dependency after its dependents',
        withDesired: true,
        state: () => withContainer(convergedState(STACK), convergedContainer(STACK, 'api', 1, { state: 'exited', exitCode: 0 })),
        removeVolumes: false,
        expected: lines(`
          [0] stop-container container:demo-web-1 timeout=10s (down)
          [1] remove-container container:demo-web-1 (down) after [0]
          [2] remove-container container:demo-api-1 (down) after [0]
          [3] stop-container container:demo-db-1 timeout=60s (down) after [0]
          [4] remove-container container:demo-db-1 (down) after [3]
          [5] remove-network network:demo_default (down) after [1,2,4]
        `),
      },
      {
        name: 'down of a project with nothing left must plan no changes',
        withDesired: true,
        state: () => ({ projectName: 'demo', containers: [], networks: [], volumes: [], images: [] }),
        removeVolumes: true,
        expected: 'no changes',
      },
    ]),
  )('%s', (_name, { withDesired, state, removeVolumes, expected }) => {
    expect(renderPlan(planDown(withDesired ? STACK : null, state(), { removeVolumes }))).toBe(expected);
  });
});

describe('planDown of an adopted project', () => {
  const composeMade = (kind: 'network' | 'volume', name: string, key: string) => {
    const base = kind === 'network' ? observedNetwork('demo', name, { owned: false }) : observedVolume('demo', name, { owned: false });
    return { ...base, labels: { ...base.labels, [`com.docker.compose.${kind}`]: key } };
  };
  const adopted = (): ObservedState => ({
    ...convergedState(STACK),
    networks: [composeMade('network', 'demo_default', 'default') as ReturnType<typeof observedNetwork>],
    volumes: [composeMade('volume', 'demo_data', 'data') as ReturnType<typeof observedVolume>],
  });

  it('down --volumes must remove the network and volumes docker compose made once every container is adopted', () => {
    const text = renderPlan(planDown(STACK, adopted(), { removeVolumes: true }));
    expect(text).toContain('remove-network network:demo_default (down)');
    expect(text).toContain('remove-volume volume:demo_data (down)');
  });

  it('down must keep the volumes docker compose made without --volumes', () => {
    const text = renderPlan(planDown(STACK, adopted(), { removeVolumes: false }));
    expect(text).not.toContain('remove-volume');
  });

  it('down must leave compose-made networks and volumes alone while a container of the project is still docker compose\'s', () => {
    const legacy = { ...convergedContainer(STACK, 'web'), owned: false };
    const text = renderPlan(planDown(STACK, withContainer(adopted(), legacy), { removeVolumes: true }));
    expect(text).not.toContain('remove-network');
    expect(text).not.toContain('remove-volume');
  });
});
