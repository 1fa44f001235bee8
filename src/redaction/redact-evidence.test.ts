import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.js';
import { redactEvidence } from './redact-evidence.js';

const redactor = createRedactor({ key: 'test' });
const service = { environment: { DB_PASSWORD: 'hunter22', MODE: 'production', FROM_FILE: 'filesecret' }, environmentFromFiles: ['FROM_FILE'], };

describe('evidence quoted from container output', () => {
  it.each([
    ['a secret value the healthcheck printed must be replaced by its marker', 'login failed for hunter22', `login failed for ${redactor.marker('hunter22')}`],
    ['a value from an env_file must be replaced', 'token filesecret rejected', `token ${redactor.marker('filesecret')} rejected`],
    ['a value of a key that is not secret must stay', 'mode production', 'mode production'],
    ['credentials in a URL must be redacted', 'cannot reach postgres://app:pw123@db/app', `cannot reach postgres://app:${redactor.marker('pw123')}@db/app`],
  ])('%s', (_name, text, expected) => {
    expect(redactEvidence(text, service as never, redactor)).toBe(expected);
  });
});
