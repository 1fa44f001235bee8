import { describe, expect, it } from 'vitest';
import type { AdoptionStatus } from '../../controller/adoption-status.js';
import { renderAdoptionNotes, syncOf } from './status.js';

// `composelet status` on a project docker compose runs: its services read "not adopted" (not "in sync":
// the empty plan only means nothing will be changed), and a note says what runs and how to adopt.

const notAdopted: AdoptionStatus = {
  state: 'not-adopted',
  services: { app: ['demo-app-1'] },
  message: 'running under docker compose, not adopted: app (demo-app-1); nothing was changed: take it over with `composelet adopt PATH`',
  hint: 'take it over with `composelet adopt PATH`',
};
const adopting: AdoptionStatus = { ...notAdopted, state: 'adopting', message: 'adopting from docker compose: app (demo-app-1)', hint: null };

describe('syncOf', () => {
  it.each([
    ['app', [], null, 'in sync'],
    ['app', ['app'], null, 'drifted'],
    ['app', [], notAdopted, 'not adopted'],
    ['app', ['app'], adopting, 'adopting'],
    ['db', ['db'], notAdopted, 'drifted'],
    ['db', [], notAdopted, 'in sync'],
  ] as const)('service %s with drifted %j and adoption %j must read %s', (service, drifted, adoption, expected) => {
    expect(syncOf(service, { drifted: new Set(drifted), adoption })).toBe(expected);
  });

  it.each([
    ['api', ['api'], ['api'], 'rolled back'],
    ['api', ['api'], [], 'drifted'],
    ['web', [], ['api'], 'in sync'],
  ] as const)('service %s with drifted %j and failed rollouts of %j must read %s', (service, drifted, rolledBack, expected) => {
    expect(syncOf(service, { drifted: new Set(drifted), adoption: null, rolledBack: new Set(rolledBack) })).toBe(expected);
  });
});

describe('renderAdoptionNotes', () => {
  it('must name each project docker compose runs with what runs and how to adopt, in name order', () => {
    expect(renderAdoptionNotes({ zeta: adopting, demo: notAdopted })).toBe(
      [
        'demo: running under docker compose, not adopted: app (demo-app-1); nothing was changed: take it over with `composelet adopt PATH`',
        'zeta: adopting from docker compose: app (demo-app-1)',
      ].join('\n'),
    );
  });

  it('must be empty when no project runs under docker compose', () => {
    expect(renderAdoptionNotes({})).toBe('');
  });
});
