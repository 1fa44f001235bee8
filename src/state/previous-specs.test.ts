import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Service } from '../desired-state/model.js';
import { imagesOfSpecs, nextDeployedSpecs, readDeployedSpecs, recordDeployedSpecs } from './previous-specs.js';

const spec = (name: string, specHash: string, image = `acme/${name}:${specHash}`) => ({ name, specHash, image }) as unknown as Service;

describe('the previous spec of each service', () => {
  it.each([
    ['a first deploy has no previous spec', {}, [spec('api', 'v1')], { api: { current: spec('api', 'v1'), previous: null } }],
    ['a new spec pushes the current one to previous', { api: { current: spec('api', 'v1'), previous: null } }, [spec('api', 'v2')], { api: { current: spec('api', 'v2'), previous: spec('api', 'v1') } }],
    [
      'the same spec again changes nothing',
      { api: { current: spec('api', 'v2'), previous: spec('api', 'v1') } },
      [spec('api', 'v2')],
      { api: { current: spec('api', 'v2'), previous: spec('api', 'v1') } },
    ],
    [
      'a rollback swaps current and previous',
      { api: { current: spec('api', 'v2'), previous: spec('api', 'v1') } },
      [spec('api', 'v1')],
      { api: { current: spec('api', 'v1'), previous: spec('api', 'v2') } },
    ],
    ['other services are kept', { db: { current: spec('db', 'd1'), previous: null } }, [spec('api', 'v1')], { db: { current: spec('db', 'd1'), previous: null }, api: { current: spec('api', 'v1'), previous: null } }],
  ] as const)('%s', (_case, current, deployed, expected) => {
    expect(nextDeployedSpecs(current, deployed)).toEqual(expected);
  });

  it('the file must be readable by its owner only (specs hold environment values)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-specs-'));
    await recordDeployedSpecs(stateDir, 'demo', [spec('api', 'v1')]);
    await recordDeployedSpecs(stateDir, 'demo', [spec('api', 'v2')]);
    expect(statSync(join(stateDir, 'rollouts', 'demo.previous.json')).mode & 0o777).toBe(0o600);
    const specs = await readDeployedSpecs(stateDir, 'demo');
    expect(specs['api']?.previous?.specHash).toBe('v1');
    expect(imagesOfSpecs(specs).sort()).toEqual(['acme/api:v1', 'acme/api:v2']);
  });
});
