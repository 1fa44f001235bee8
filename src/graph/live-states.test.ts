import { describe, expect, it } from 'vitest';
import { convergedContainer, convergedState, projectFromYaml, withContainer } from '../reconciler/observe/observed-builders.test-support.js';
import type { ObservedContainer } from '../reconciler/observe/observed-state.js';
import { liveStates, type ServiceLiveState } from './live-states.js';

const project = projectFromYaml(`
name: shop
services:
  api:
    image: x
    restart: always
  migrate:
    image: x
    restart: "no"
  workers:
    image: x
    restart: always
    scale: 3
  paused:
    image: x
    restart: always
    scale: 0
`);

const running = convergedState(project);

describe('live states', () => {
  it.each<[string, Partial<ObservedContainer>, ServiceLiveState]>([
    ['running and healthy must be healthy', { health: 'healthy' }, { state: 'healthy', detail: 'running, healthy' }],
    ['running without a healthcheck must be running', { health: null }, { state: 'running', detail: 'running' }],
    ['health starting must be starting', { health: 'starting' }, { state: 'starting', detail: 'running, health: starting' }],
    ['created must be starting', { state: 'created' }, { state: 'starting', detail: 'created' }],
    ['restarting must be starting', { state: 'restarting' }, { state: 'starting', detail: 'restarting' }],
    ['unhealthy must be unhealthy', { health: 'unhealthy' }, { state: 'unhealthy', detail: 'running, unhealthy' }],
    ['exited must be stopped with its code', { state: 'exited', exitCode: 137 }, { state: 'stopped', detail: 'exited (137)' }],
    ['a long-running service that exited 0 must be stopped', { state: 'exited', exitCode: 0 }, { state: 'stopped', detail: 'exited (0)' }],
    ['dead must be stopped', { state: 'dead' }, { state: 'stopped', detail: 'dead' }],
  ])('%s', (_name, overrides, expected) => {
    const observed = withContainer(running, convergedContainer(project, 'api', 1, overrides));
    expect(liveStates(project, observed).api).toEqual(expected);
  });

  it('a one-shot that exited 0 must be completed, and one that failed stopped', () => {
    const completed = withContainer(running, convergedContainer(project, 'migrate', 1, { state: 'exited', exitCode: 0 }));
    const failed = withContainer(running, convergedContainer(project, 'migrate', 1, { state: 'exited', exitCode: 1 }));
    expect(liveStates(project, completed).migrate).toEqual({ state: 'completed', detail: 'completed' });
    expect(liveStates(project, failed).migrate).toEqual({ state: 'stopped', detail: 'exited (1)' });
  });

  it('a service without its container must be missing', () => {
    const observed = { ...running, containers: running.containers.filter((container) => container.service !== 'api') };
    expect(liveStates(project, observed).api).toEqual({ state: 'missing', detail: 'missing' });
  });

  it('a container composelet does not own must not count for its service', () => {
    const observed = withContainer(running, convergedContainer(project, 'api', 1, { owned: false }));
    expect(liveStates(project, observed).api).toEqual({ state: 'missing', detail: 'missing' });
  });

  it('replicas must show how many run and the worst state', () => {
    expect(liveStates(project, running).workers).toEqual({ state: 'running', detail: '3/3 running' });
    const oneUnhealthy = withContainer(running, convergedContainer(project, 'workers', 2, { health: 'unhealthy' }));
    expect(liveStates(project, oneUnhealthy).workers).toEqual({ state: 'unhealthy', detail: '3/3 running; running, unhealthy' });
    const oneGone = { ...running, containers: running.containers.filter((container) => container.name !== 'shop-workers-3') };
    expect(liveStates(project, oneGone).workers).toEqual({ state: 'missing', detail: '2/3 running; missing' });
  });

  it('a service scaled to 0 must say so', () => {
    expect(liveStates(project, running).paused).toEqual({ state: 'scaled-to-zero', detail: 'scaled to 0' });
  });
});
