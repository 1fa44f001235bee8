import { describe, expect, it } from 'vitest';
import { createRedactor, isSecretLookingKey } from './redact.js';

describe('redaction', () => {
  const redactor = createRedactor({ key: 'test-key' });

  it.each([
    ['POSTGRES_PASSWORD', true],
    ['DB_PASS', true],
    ['API_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['STRIPE_KEY', true],
    ['GOOGLE_APPLICATION_CREDENTIALS', true],
    ['SENTRY_DSN', true],
    ['LOG_LEVEL', false],
    ['KEYBOARD_LAYOUT', false],
    ['PORT', false],
  ])('key %s must be treated as secret: %s', (key, secret) => {
    expect(isSecretLookingKey(key)).toBe(secret);
  });

  it('a secret value must never appear in its marker, and the marker must be stable', () => {
    const marker = redactor.environmentValue('DB_PASSWORD', 'hunter2-sentinel');
    expect(marker).not.toContain('hunter2');
    expect(marker).toMatch(/^<redacted:[0-9a-f]{8}>$/);
    expect(redactor.environmentValue('DB_PASSWORD', 'hunter2-sentinel')).toBe(marker);
  });

  it('a changed secret must give a different marker', () => {
    expect(redactor.marker('one')).not.toBe(redactor.marker('two'));
  });

  it('credentials inside URLs must be redacted and the rest kept', () => {
    const text = redactor.text('DATABASE_URL=postgres://app:s3cr3t-sentinel@db:5432/app');
    expect(text).not.toContain('s3cr3t-sentinel');
    expect(text).toContain('postgres://app:<redacted:');
    expect(text).toContain('@db:5432/app');
  });

  it('a plain value under a plain key must be kept', () => {
    expect(redactor.environmentValue('LOG_LEVEL', 'debug')).toBe('debug');
  });

  it('a value from an env_file must be redacted whatever its key', () => {
    expect(redactor.environmentValue('LOG_LEVEL', 'debug', { forceSecret: true })).toMatch(/^<redacted:/);
  });
});
