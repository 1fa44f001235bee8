import { describe, expect, it } from 'vitest';
import { adoptionTransition, type AdoptionStatus } from './adoption-status.js';

const notAdopted: AdoptionStatus = { state: 'not-adopted', services: { app: ['demo-app-1'] }, message: 'running under docker compose, not adopted: app (demo-app-1)', hint: 'adopt' };
const notAdoptedMore: AdoptionStatus = { ...notAdopted, services: { app: ['demo-app-1'], db: ['demo-db-1'] }, message: 'running under docker compose, not adopted: app (demo-app-1), db (demo-db-1)' };
const adopting: AdoptionStatus = { state: 'adopting', services: { app: ['demo-app-1'] }, message: 'adopting from docker compose: app (demo-app-1)', hint: null };

describe('adoptionTransition', () => {
  it.each([
    ['nothing under compose, still nothing', null, null, null],
    ['found not adopted', null, notAdopted, { level: 'warn', message: notAdopted.message }],
    ['still not adopted, same containers', notAdopted, notAdopted, null],
    ['not adopted, another service appeared', notAdopted, notAdoptedMore, { level: 'warn', message: notAdoptedMore.message }],
    ['adoption asked for', notAdopted, adopting, { level: 'info', message: adopting.message }],
    ['still adopting', adopting, adopting, null],
    ['adoption done', adopting, null, { level: 'info', message: expect.stringMatching(/^adopted from docker compose/) }],
    ['compose containers removed by the operator', notAdopted, null, { level: 'info', message: expect.stringMatching(/^no longer running under docker compose/) }],
  ])('%s: must log the change (or nothing)', (_label, previous, next, expected) => {
    expect(adoptionTransition(previous, next)).toEqual(expected);
  });
});
