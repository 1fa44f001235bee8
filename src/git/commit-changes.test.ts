import { describe, expect, it } from 'vitest';
import { blameRolloutFailure, changedServices, rolloutQuarantineReason, touchedProjects, type SpecHashes } from './commit-changes.js';

const GOOD: SpecHashes = { shop: { api: 'a1', db: 'd1', worker: 'w1' }, blog: { web: 'b1' } };
const NEXT: SpecHashes = { shop: { api: 'a2', db: 'd1', worker: 'w2' }, blog: { web: 'b1' } };

describe('changedServices', () => {
  it.each<[string, SpecHashes | null, SpecHashes, SpecHashes]>([
    ['nothing before: everything is new', null, GOOD, GOOD],
    ['same hashes: nothing', GOOD, GOOD, {}],
    ['changed hashes only, per project', GOOD, NEXT, { shop: { api: 'a2', worker: 'w2' } }],
    ['a new service and a new project', GOOD, { ...GOOD, shop: { ...GOOD['shop'], cache: 'c1' }, wiki: { app: 'x' } }, { shop: { cache: 'c1' }, wiki: { app: 'x' } }],
    ['a removed service is no changed spec', GOOD, { ...GOOD, shop: { api: 'a1', db: 'd1' } }, {}],
  ])('%s', (_name, before, after, expected) => {
    expect(changedServices(before, after)).toEqual(expected);
  });
});

describe('touchedProjects', () => {
  it.each<[string, SpecHashes | null, SpecHashes, string[]]>([
    ['a change in one project', GOOD, NEXT, ['shop']],
    ['a removed service', GOOD, { ...GOOD, blog: {} }, ['blog']],
    ['nothing', GOOD, GOOD, []],
  ])('%s', (_name, before, after, expected) => {
    expect(touchedProjects(before, after)).toEqual(expected);
  });
});

describe('blameRolloutFailure', () => {
  const changed = changedServices(GOOD, NEXT);
  const failure = (specHash: string, reason = 'rolled back api: new container exited (1)') => ({ specHash, reason });
  it.each<[string, string, Record<string, { specHash: string; reason: string }>, ReturnType<typeof blameRolloutFailure>]>([
    ['a service the commit changed, with the spec it brought', 'shop', { api: failure('a2') }, { service: 'api', reason: 'rollout of api failed: new container exited (1)' }],
    ['a service the commit did not change', 'shop', { db: failure('d9', 'rolled back db: unhealthy') }, null],
    ['a changed service whose failed spec came from elsewhere', 'shop', { api: failure('a3') }, null],
    ['a service of a project the commit did not change', 'blog', { web: failure('b2') }, null],
    ['no failure', 'shop', {}, null],
    ['the first changed failure by name', 'shop', { worker: failure('w2', 'rolled back worker: exited'), api: failure('a2') }, { service: 'api', reason: 'rollout of api failed: new container exited (1)' }],
  ])('%s', (_name, project, failed, expected) => {
    expect(blameRolloutFailure(changed, project, failed)).toEqual(expected);
  });
});

describe('rolloutQuarantineReason', () => {
  it.each([
    ['api', 'rolled back api: new container unhealthy after 12 s: db gone', 'rollout of api failed: new container unhealthy after 12 s: db gone'],
    ['api', 'rolled back api (replica 2): exited (1)', 'rollout of api failed: exited (1)'],
    ['api', 'rollout of api not started: image composelet/nope:1 not found', 'rollout of api failed: rollout of api not started: image composelet/nope:1 not found'],
    ['api', 'rolled back apiserver: exited', 'rollout of api failed: rolled back apiserver: exited'],
  ])('%s: %s', (service, reason, expected) => {
    expect(rolloutQuarantineReason(service, reason)).toBe(expected);
  });
});
