import { describe, expect, it } from 'vitest';
import { projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import type { ContainerState } from '../../reconciler/observe/observed-state.js';
import { categoryOfPath, serviceStatusOf, stoppedReason } from './categories.js';
import type { DriftCategory, DriftChange } from '../model.js';

// Which state is drift (a completed one-shot is not), which category a field is, and what a service's
// changes add up to.

const project = projectFromYaml(`
services:
  server: { image: busybox, restart: unless-stopped }
  migrate: { image: busybox, restart: "no" }
  retrying: { image: busybox, restart: on-failure }
`);

describe('stopped or exited', () => {
  it.each<[string, ContainerState, number | null, string | null]>([
    ['server', 'running', null, null],
    ['server', 'exited', 0, 'exited (0) though restart is "unless-stopped": stopped out of band or crashed'],
    ['server', 'exited', 137, 'exited (137) though restart is "unless-stopped": stopped out of band or crashed'],
    ['server', 'created', null, 'created but never started'],
    ['server', 'paused', null, 'paused'],
    ['server', 'dead', null, 'dead: the engine could not stop or remove it cleanly'],
    ['migrate', 'exited', 0, null],
    ['migrate', 'exited', 1, 'exited unexpectedly (1): the one-shot failed or was stopped'],
    ['retrying', 'exited', 0, null],
    ['migrate', 'created', null, 'created but never started'],
  ])('%s %s (%s) must be: %s', (serviceName, state, exitCode, reason) => {
    expect(stoppedReason(project.services[serviceName]!, { state, exitCode, labels: {} })).toBe(reason);
  });

  it('a one-shot adopted after it had completed under docker compose must not count as stopped', () => {
    const adopted = { state: 'created' as const, exitCode: null, labels: { 'io.composelet.adopted-completed': 'c0ffee' } };
    expect(stoppedReason(project.services['migrate']!, adopted)).toBeNull();
    expect(stoppedReason(project.services['server']!, adopted)).toBe('created but never started');
  });
});

describe('categories', () => {
  it.each<[string, DriftCategory]>([
    ['/limits/memoryBytes', 'limits'],
    ['/limits/restart', 'limits'],
    ['/networks/p_backend', 'network'],
    ['/networkMode', 'network'],
    ['/environment/LOG_LEVEL', 'configuration'],
    ['/mounts/~1data', 'configuration'],
  ])('%s must be %s', (path, category) => {
    expect(categoryOfPath(path)).toBe(category);
  });

  const change = (category: DriftCategory): DriftChange => ({ category, container: 'c', path: '', op: 'replace', desired: null, live: null, reason: 'r' });
  it.each<[DriftCategory[], string]>([
    [[], 'in-sync'],
    [['configuration', 'limits'], 'drifted'],
    [['configuration', 'stopped'], 'stopped'],
    [['stopped', 'missing'], 'missing'],
    [['missing', 'foreign', 'configuration'], 'foreign'],
    [['orphan'], 'drifted'],
  ])('changes %j must make the service %s', (categories, status) => {
    expect(serviceStatusOf(categories.map(change))).toBe(status);
  });
});
