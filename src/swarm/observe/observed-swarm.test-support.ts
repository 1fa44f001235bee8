import type { ObservedSwarm, ObservedSwarmService, ObservedTask } from './observed-swarm.js';

// Hand-built observed Swarm states for the planner, wait and drift tests: no engine, no mocks.

export function task(overrides: Partial<ObservedTask> = {}): ObservedTask {
  return {
    id: 't1',
    nodeId: 'n1',
    desiredState: 'running',
    state: 'running',
    message: '',
    error: null,
    exitCode: null,
    containerId: null,
    specVersion: null,
    templateHash: 'current',
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export function service(overrides: Partial<ObservedSwarmService> = {}): ObservedSwarmService {
  return {
    id: 'svc1',
    name: 'demo_api',
    version: 7,
    labels: { 'com.docker.compose.project': 'demo', 'io.composelet.managed': 'true', 'com.docker.compose.service': 'api' },
    spec: { Mode: { Replicated: { Replicas: 1 } } },
    updateState: null,
    updateMessage: null,
    templateHash: 'current',
    tasks: [task()],
    ...overrides,
  };
}

export function observedSwarm(overrides: Partial<ObservedSwarm> = {}): ObservedSwarm {
  return {
    services: [],
    networks: [],
    configs: [],
    secrets: [],
    nodes: [
      { id: 'n1', hostname: 'node-1', role: 'manager', availability: 'active', state: 'ready' },
      { id: 'n2', hostname: 'node-2', role: 'worker', availability: 'active', state: 'ready' },
    ],
    ...overrides,
  };
}
