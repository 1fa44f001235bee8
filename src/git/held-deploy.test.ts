import { describe, expect, it } from 'vitest';
import { heldDeploy, type HeldDeployInputs } from './held-deploy.js';

const COMMIT = 'def4567890abcdef';
const SUSPENDED = 'suspended by ops@host until resumed: release freeze';
const HELD = `commit def4567 not applied: ${SUSPENDED}`;
const base: HeldDeployInputs = { commit: COMMIT, projectSuspension: SUSPENDED, desired: { api: 'a2', db: 'd1' }, running: [{ service: 'api', specHash: 'a1' }, { service: 'db', specHash: 'd1' }] };

describe('heldDeploy', () => {
  it.each<[string, Partial<HeldDeployInputs>, string | null]>([
    ['a changed spec not applied while suspended', {}, HELD],
    ['nothing differs: nothing held', { running: [{ service: 'api', specHash: 'a2' }, { service: 'db', specHash: 'd1' }] }, null],
    ['a new service not created', { desired: { api: 'a1', db: 'd1', cache: 'c1' } }, HELD],
    ['a removed service still running', { desired: { api: 'a1' } }, HELD],
    ['one replica on the new spec, one not', { desired: { api: 'a2', db: 'd1' }, running: [{ service: 'api', specHash: 'a2' }, { service: 'api', specHash: 'a1' }, { service: 'db', specHash: 'd1' }] }, null],
    ['not suspended as a whole', { projectSuspension: null }, null],
    ['no commit in force yet', { commit: null }, null],
    ['containers of no service are ignored', { desired: { api: 'a1', db: 'd1' }, running: [{ service: 'api', specHash: 'a1' }, { service: 'db', specHash: 'd1' }, { service: null, specHash: null }] }, null],
  ])('%s', (_name, overrides, expected) => {
    expect(heldDeploy({ ...base, ...overrides })).toBe(expected);
  });
});
