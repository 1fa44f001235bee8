import { describe, expect, it } from 'vitest';
import { createRedactor } from '../redaction/redact.js';
import { projectFromYaml } from '../reconciler/observed-builders.test-support.js';
import type { ComparableContainer } from './comparable.js';
import { diffContainers } from './compare.js';
import { redactComparable, scrubSecrets, secretKeysOf, secretValuesOf, type DriftRedaction } from './redact-comparable.js';

// Secrets are compared by marker and never printed: a changed secret shows as a changed marker.

const redactor = createRedactor({ key: 'unit' });

function container(environment: Record<string, string>, command: string[] | null = null): ComparableContainer {
  return { environment, labels: { 'app.token': 'label-secret-1', team: 'a' }, command } as unknown as ComparableContainer;
}

describe('redacting the comparable shape', () => {
  const redaction: DriftRedaction = { redactor, secretKeys: new Set(['FROM_FILE']) };

  it('secret-looking keys, keys from files and URL credentials must be markers; plain values must stay', () => {
    const redacted = redactComparable(
      container({ DB_PASSWORD: 'hunter2-secret', FROM_FILE: 'plain-looking', LOG_LEVEL: 'info', URL: 'postgres://app:pw-secret@db/app' }),
      redaction,
    );
    expect(redacted.environment).toEqual({
      DB_PASSWORD: redactor.marker('hunter2-secret'),
      FROM_FILE: redactor.marker('plain-looking'),
      LOG_LEVEL: 'info',
      URL: `postgres://app:${redactor.marker('pw-secret')}@db/app`,
    });
    expect(redacted.labels).toEqual({ 'app.token': redactor.marker('label-secret-1'), team: 'a' });
  });

  it('a changed secret must show as a changed marker, an unchanged one as no change', () => {
    const desired = redactComparable(container({ DB_PASSWORD: 'old-secret', KEEP_TOKEN: 'same-secret' }), redaction);
    const live = redactComparable(container({ DB_PASSWORD: 'new-secret', KEEP_TOKEN: 'same-secret' }), redaction);
    const differences = diffContainers(desired, live);
    expect(differences).toEqual([
      { path: '/environment/DB_PASSWORD', op: 'replace', desired: redactor.marker('old-secret'), live: redactor.marker('new-secret') },
    ]);
    expect(JSON.stringify(differences)).not.toMatch(/old-secret|new-secret/);
  });

  it('secret values must be scrubbed from any other string, longest first', () => {
    const secrets = secretValuesOf(container({ DB_PASSWORD: 'sentinel-value', SHORT_TOKEN: 'abc', LOG_LEVEL: 'verbose-logging' }), redaction);
    expect(secrets).toEqual(['sentinel-value']);
    const scrubbed = scrubSecrets({ reason: 'command changed: [echo sentinel-value]', nested: [{ value: 'sentinel-value-2' }] }, secrets, redactor);
    expect(JSON.stringify(scrubbed)).not.toContain('sentinel-value');
    expect(scrubbed.reason).toBe(`command changed: [echo ${redactor.marker('sentinel-value')}]`);
  });

  it('keys from an env_file and keys whose value the project .env defines must be secret', () => {
    const project = projectFromYaml(`
services:
  app:
    image: busybox
    environment: { UPSTREAM: from-dotenv-value, PLAIN: x }
`);
    const service = { ...project.services['app']!, environmentFromFiles: ['FILE_KEY'] };
    expect([...secretKeysOf(service, new Set(['from-dotenv-value']))].sort()).toEqual(['FILE_KEY', 'UPSTREAM']);
  });

  it('a marker already in place must stay whole, even when a short secret matches its digits', () => {
    const marker = redactor.marker('other');
    const digits = marker.slice('<redacted:'.length, '<redacted:'.length + 4);
    expect(scrubSecrets({ text: `${marker} and ${digits}` }, [digits], redactor)).toEqual({ text: `${marker} and ${redactor.marker(digits)}` });
  });
});
