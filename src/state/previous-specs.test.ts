import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Service } from '../desired-state/model.js';
import { withholdSecrets } from './withheld-secrets.js';
import { imagesOfSpecs, nextDeployedSpecs, readDeployedSpecs, recordDeployedSpecs } from './previous-specs.js';

const spec = (name: string, specHash: string, image = `acme/${name}:${specHash}`) =>
  ({ name, specHash, image, environment: { DB_PASSWORD: `pw-${specHash}`, MODE: specHash }, environmentFromFiles: [], labels: {}, build: null, command: null, entrypoint: null, postStart: [], preStop: [] }) as unknown as Service;
const kept = (service: Service) => withholdSecrets(service);

describe('the previous spec of each service', () => {
  it.each([
    ['a first deploy has no previous spec', {}, [spec('api', 'v1')], { api: { current: kept(spec('api', 'v1')), previous: null } }],
    ['a new spec pushes the current one to previous', { api: { current: kept(spec('api', 'v1')), previous: null } }, [spec('api', 'v2')], { api: { current: kept(spec('api', 'v2')), previous: kept(spec('api', 'v1')) } }],
    [
      'the same spec again changes nothing',
      { api: { current: kept(spec('api', 'v2')), previous: kept(spec('api', 'v1')) } },
      [spec('api', 'v2')],
      { api: { current: kept(spec('api', 'v2')), previous: kept(spec('api', 'v1')) } },
    ],
    [
      'a rollback swaps current and previous',
      { api: { current: kept(spec('api', 'v2')), previous: kept(spec('api', 'v1')) } },
      [spec('api', 'v1')],
      { api: { current: kept(spec('api', 'v1')), previous: kept(spec('api', 'v2')) } },
    ],
    ['other services are kept', { db: { current: kept(spec('db', 'd1')), previous: null } }, [spec('api', 'v1')], { db: { current: kept(spec('db', 'd1')), previous: null }, api: { current: kept(spec('api', 'v1')), previous: null } }],
  ] as const)('%s', (_case, current, deployed, expected) => {
    expect(nextDeployedSpecs(current, deployed)).toEqual(expected);
  });

  it('the file must be readable by its owner only (specs hold environment values)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-specs-'));
    await recordDeployedSpecs(stateDir, 'demo', [spec('api', 'v1')]);
    await recordDeployedSpecs(stateDir, 'demo', [spec('api', 'v2')]);
    expect(statSync(join(stateDir, 'rollouts', 'demo.previous.json')).mode & 0o777).toBe(0o600);
    const specs = await readDeployedSpecs(stateDir, 'demo');
    expect(specs['api']?.previous?.spec.specHash).toBe('v1');
    // No secret value on disk: withheld, and filled from the spec in force by a rollback.
    expect(readFileSync(join(stateDir, 'rollouts', 'demo.previous.json'), 'utf8')).not.toMatch(/pw-v[12]/);
    expect(specs['api']?.previous?.spec.environment).toEqual({ DB_PASSWORD: '', MODE: 'v1' });
    expect(imagesOfSpecs(specs).sort()).toEqual(['acme/api:v1', 'acme/api:v2']);
  });
});
