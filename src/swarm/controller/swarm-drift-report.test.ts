import { describe, expect, it } from 'vitest';
import type { Project } from '../../desired-state/model.js';
import { createRedactor } from '../../redaction/redact.js';
import type { SwarmServiceDrift } from '../drift/swarm-drift.js';
import { projectDriftOf } from './swarm-drift-report.js';

// Swarm drift in the drift report's shape: what the metrics, logs and page read for every project.

const project = { name: 'p', services: { api: { name: 'api', replicas: 2 }, db: { name: 'db', replicas: 1 } } } as unknown as Pick<Project, 'name' | 'services'>;
const redactor = createRedactor({ key: 'test' });

describe('projectDriftOf', () => {
  it.each<[name: string, drift: SwarmServiceDrift, status: string, changes: Array<[category: string, path: string, desired: unknown, live: unknown]>]>([
    ['a limit changed by hand', { service: 'api', missing: false, differences: [{ path: '/TaskTemplate/Resources/Limits/MemoryBytes', desired: 32, observed: 64 }], tasks: null, taskStates: [] }, 'drifted', [['limits', '/TaskTemplate/Resources/Limits/MemoryBytes', 32, 64]]],
    ['the image changed', { service: 'api', missing: false, differences: [{ path: '/TaskTemplate/ContainerSpec/Image', desired: 'a:1', observed: 'a:2' }], tasks: null, taskStates: [] }, 'drifted', [['configuration', '/TaskTemplate/ContainerSpec/Image', 'a:1', 'a:2']]],
    ['an environment value: redacted', { service: 'api', missing: false, differences: [{ path: '/TaskTemplate/ContainerSpec/Env/0', desired: 'TOKEN=a', observed: 'TOKEN=b' }], tasks: null, taskStates: [] }, 'drifted', [['configuration', '/TaskTemplate/ContainerSpec/Env/0', redactor.marker('"TOKEN=a"'), redactor.marker('"TOKEN=b"')]]],
    ['tasks not running', { service: 'api', missing: false, differences: [], tasks: '0/2 running', taskStates: [] }, 'stopped', [['stopped', '/tasks', null, '0/2 running']]],
    ['no service', { service: 'api', missing: true, differences: [], tasks: null, taskStates: [] }, 'missing', [['missing', '/service', 'api', null]]],
  ])('%s', (_name, drift, status, changes) => {
    const report = projectDriftOf(project, [drift], redactor);
    expect(report.status).toBe('drifted');
    const api = report.services.find((service) => service.name === 'api')!;
    expect(api.status).toBe(status);
    expect(api.changes.map((change) => [change.category, change.path, change.desired, change.live])).toEqual(changes);
    expect(report.services.find((service) => service.name === 'db')?.status).toBe('in-sync');
  });

  it('must say in sync when no service drifted', () => {
    expect(projectDriftOf(project, [], redactor).status).toBe('in-sync');
  });
});
