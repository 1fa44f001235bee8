import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotenvKeys, redactKnownValues, valuesFromDotenv } from './dotenv-provenance.js';
import { createRedactor } from './redact.js';

function projectWithDotenv(text: string | null): { workingDir: string } {
  const workingDir = mkdtempSync(join(tmpdir(), 'composelet-dotenv-'));
  if (text !== null) writeFileSync(join(workingDir, '.env'), text);
  return { workingDir };
}

describe('.env provenance', () => {
  const project = projectWithDotenv(
    ['# comment', 'DB_PASSWORD=hunter2-sentinel', 'export API_URL="https://api.example.com/${REGION}"', 'DEBUG=1', 'LEVEL=info', 'FROM_ENVIRONMENT', ''].join('\n'),
  );

  it('the keys of .env must be known, whatever their values', () => {
    expect([...dotenvKeys(project)].sort()).toEqual(['API_URL', 'DB_PASSWORD', 'DEBUG', 'FROM_ENVIRONMENT', 'LEVEL']);
  });

  it('values must be interpolated as the loader does, and short ones left out', () => {
    expect([...valuesFromDotenv(project, { environment: { REGION: 'eu' } })].sort()).toEqual(['https://api.example.com/eu', 'hunter2-sentinel', 'info']);
  });

  it('a project without .env must have no keys and no values', () => {
    const bare = projectWithDotenv(null);
    expect(dotenvKeys(bare).size).toBe(0);
    expect(valuesFromDotenv(bare).size).toBe(0);
  });

  it('every occurrence of a value from .env must be replaced by its marker in one pass', () => {
    const redactor = createRedactor({ key: 'test-key' });
    const values = new Set(['hunter2-sentinel', 'hunter2', 'acte']);
    const text = redactKnownValues('login failed for app:hunter2-sentinel (hunter2); retry hunter2-sentinel', values, redactor);
    expect(text).not.toContain('hunter2');
    expect(text).toBe(
      `login failed for app:${redactor.marker('hunter2-sentinel')} (${redactor.marker('hunter2')}); retry ${redactor.marker('hunter2-sentinel')}`,
    );
  });

  it('values with regular expression characters must be matched literally', () => {
    const redactor = createRedactor({ key: 'test-key' });
    expect(redactKnownValues('a+b.c* and axbyc', new Set(['a+b.c*']), redactor)).toBe(`${redactor.marker('a+b.c*')} and axbyc`);
  });
});
