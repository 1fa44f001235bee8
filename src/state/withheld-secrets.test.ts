import { describe, expect, it } from 'vitest';
import type { Service } from '../desired-state/model.js';
import { restoreSecrets, secretPaths, withholdSecrets } from './withheld-secrets.js';

const service = (values: { password: string; token: string; word: string }) =>
  ({
    name: 'api',
    specHash: 'h',
    image: 'acme/api:1',
    environment: { API_TOKEN: values.token, FROM_ENV_FILE: 'f', GREETING: 'hello', SHOP_PASSCODE: values.password },
    environmentFromFiles: ['FROM_ENV_FILE'],
    fromDotenv: { environment: ['SHOP_PASSCODE'], buildArgs: [], labels: [], hookEnvironment: [], command: [1], entrypoint: [] },
    build: { args: { NPM_TOKEN: values.token, VERSION: '1' } },
    labels: { team: 'shop' },
    command: ['serve', values.word],
    entrypoint: null,
    postStart: [{ command: ['true'], environment: { SHOP_PASSCODE: values.password, X: 'y' } }],
    preStop: [],
  }) as unknown as Service;

describe('secret values withheld from a kept spec', () => {
  it.each([
    ['a secret-looking key', ['environment', 'API_TOKEN']],
    ['a value from an env_file', ['environment', 'FROM_ENV_FILE']],
    ['a value from .env', ['environment', 'SHOP_PASSCODE']],
    ['a secret-looking build arg', ['build', 'args', 'NPM_TOKEN']],
    ['a command word holding a .env value', ['command', 1]],
    ["a hook's environment", ['postStart', 0, 'environment', 'SHOP_PASSCODE']],
  ])('%s must be withheld', (_case, path) => {
    expect(secretPaths(service({ password: 'p', token: 't', word: 'w' }))).toContainEqual(path);
  });

  it('no secret value may be in what is kept, and the rest must be', () => {
    const kept = JSON.stringify(withholdSecrets(service({ password: 'pw-9f1', token: 'tk-77a', word: 'wd-3c2' })));
    for (const secret of ['pw-9f1', 'tk-77a', 'wd-3c2']) expect(kept).not.toContain(secret);
    for (const plain of ['hello', 'acme/api:1', 'VERSION', 'shop']) expect(kept).toContain(plain);
  });

  it('going back must take the withheld values from the spec in force, field by field', () => {
    const kept = withholdSecrets(service({ password: 'old-pw', token: 'old-tk', word: 'old-wd' }));
    const restored = restoreSecrets(kept, service({ password: 'now-pw', token: 'now-tk', word: 'now-wd' }));
    expect(restored.ok && restored.service.environment).toEqual({ API_TOKEN: 'now-tk', FROM_ENV_FILE: 'f', GREETING: 'hello', SHOP_PASSCODE: 'now-pw' });
    expect(restored.ok && restored.service.command).toEqual(['serve', 'now-wd']);
  });

  it('a secret the manifests no longer provide must make the rollback refuse, naming it', () => {
    const kept = withholdSecrets(service({ password: 'p', token: 't', word: 'w' }));
    const now = service({ password: 'p', token: 't', word: 'w' });
    delete (now.environment as Record<string, string>)['SHOP_PASSCODE'];
    expect(restoreSecrets(kept, now)).toEqual({ ok: false, missing: ['environment.SHOP_PASSCODE'] });
  });
});
