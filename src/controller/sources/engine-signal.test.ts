import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/engine-port.js';
import { COMPOSE_PROJECT, OWNED_BY_COMPOSELET } from '../../reconciler/labels.js';
import { ACTIONS_OF_INTEREST, actionName, ENGINE_EVENT_FILTERS, engineSignalOf } from './engine-signal.js';

function event(type: string, action: string, attributes: Record<string, string>): EngineEvent {
  return { Type: type, Action: action, Actor: { ID: 'abc', Attributes: attributes }, time: 1 };
}

const owned = { [OWNED_BY_COMPOSELET]: 'true', [COMPOSE_PROJECT]: 'shop' };

describe('engineSignalOf', () => {
  it.each(['die', 'stop', 'kill', 'oom', 'destroy', 'health_status: unhealthy', 'health_status: healthy', 'update', 'rename'])(
    'must map an owned container %s event to its project',
    (action) => {
      const containerEvent = event('container', action, owned);
      expect(engineSignalOf(containerEvent)).toEqual({ kind: 'event', project: 'shop', event: containerEvent });
    },
  );

  it.each([
    ['a start', event('container', 'start', owned)],
    ['a create', event('container', 'create', owned)],
    ['an exec', event('container', 'exec_die', owned)],
    ['a network event', event('network', 'disconnect', { container: 'abc', name: 'shop_default' })],
    ['a container nobody owns', event('container', 'die', { [COMPOSE_PROJECT]: 'shop' })],
    ['an ownership label that is not "true"', event('container', 'die', { ...owned, [OWNED_BY_COMPOSELET]: 'false' })],
    ['an owned container without a project', event('container', 'die', { [OWNED_BY_COMPOSELET]: 'true' })],
  ])('must ignore %s', (_description, ignored) => {
    expect(engineSignalOf(ignored)).toBeNull();
  });
});

describe('actionName', () => {
  it.each([
    ['die', 'die'],
    ['health_status: unhealthy', 'health_status'],
    ['exec_start: sh -c true', 'exec_start'],
  ])('%s must be %s', (action, expected) => {
    expect(actionName(action)).toBe(expected);
  });
});

describe('ENGINE_EVENT_FILTERS', () => {
  const ACTIONS = ['create', 'start', 'restart', 'die', 'stop', 'kill', 'oom', 'destroy', 'pause', 'unpause', 'rename', 'update', 'attach', 'exec_create: sh -c true', 'exec_start: sh -c true', 'exec_die', 'health_status: healthy', 'health_status: unhealthy', 'top', 'resize'];

  it.each(ACTIONS)('the engine-side filter must pass %s exactly when the controller acts on it', (action) => {
    const passedByEngine = ENGINE_EVENT_FILTERS.event.some((name) => name === action || name === actionName(action));
    expect(passedByEngine).toBe(engineSignalOf(event('container', action, owned)) !== null);
  });

  it('must leave healthcheck exec events in the engine', () => {
    expect(ENGINE_EVENT_FILTERS.event).not.toContain('exec_create');
    expect(ENGINE_EVENT_FILTERS.event).not.toContain('exec_die');
    expect(new Set(ENGINE_EVENT_FILTERS.event)).toEqual(new Set(ACTIONS_OF_INTEREST));
  });
});
