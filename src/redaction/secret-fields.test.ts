import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.js';
import { redactKeyValueList, redactWords, serviceSecrets } from './secret-fields.js';

const redactor = createRedactor({ key: 'unit' });
const marker = (value: string) => redactor.marker(value);

describe('secret fields', () => {
  const secrets = serviceSecrets({
    environmentFromFiles: ['FROM_FILE'],
    fromDotenv: { environment: ['FROM_DOTENV'], buildArgs: ['ARG_FROM_DOTENV'], labels: [], hookEnvironment: [], command: [1], entrypoint: [] },
  });

  it.each([
    ['DB_PASSWORD', true],
    ['FROM_FILE', true],
    ['FROM_DOTENV', true],
    ['PORT', false],
  ])('environment key %s must be secret: %s', (key, expected) => {
    expect(secrets.environment(key)).toBe(expected);
  });

  it('Env entries must keep their keys and every value that is not secret', () => {
    expect(redactKeyValueList(['PORT=8000', 'DB_PASSWORD=8000', 'FROM_DOTENV=postgres', 'URL=redis://u:pw@cache:6379', 'BARE'], secrets.environment, redactor)).toEqual([
      'PORT=8000',
      `DB_PASSWORD=${marker('8000')}`,
      `FROM_DOTENV=${marker('postgres')}`,
      `URL=redis://u:${marker('pw')}@cache:6379`,
      'BARE',
    ]);
  });

  it.each([
    [['postgres', 'postgres'], new Set([1]), ['postgres', marker('postgres')]],
    [['--password=hunter2', '--port=8000'], new Set<number>(), [`--password=${marker('hunter2')}`, '--port=8000']],
    [['PGPASSWORD=x', 'psql', 'postgres://app:pw@db/app'], new Set<number>(), [`PGPASSWORD=${marker('x')}`, 'psql', `postgres://app:${marker('pw')}@db/app`]],
  ])('the words %j (secret indices %j) must become %j', (words, indices, expected) => {
    expect(redactWords(words, indices, redactor)).toEqual(expected);
  });
});
