import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../redaction/redact.js';
import { serviceSecrets } from '../../redaction/secret-fields.js';
import type { ComparableContainer } from './comparable.js';
import { diffContainers } from '../compare/compare.js';
import { redactComparable, type DriftRedaction } from './redact-comparable.js';

// Secrets are compared by marker and never printed: a changed secret shows as a changed marker; nothing
// that is not secret is altered.

const redactor = createRedactor({ key: 'unit' });

function container(environment: Record<string, string>, command: string[] | null = null): ComparableContainer {
  return {
    name: 'postgres-db-1',
    image: 'postgres:15',
    environment,
    labels: { 'app.token': 'label-secret-1', team: 'postgres' },
    command,
    entrypoint: null,
    healthcheck: null,
    workingDir: '/srv/postgres',
  } as unknown as ComparableContainer;
}

describe('redacting the comparable shape', () => {
  const redaction: DriftRedaction = {
    redactor,
    secrets: serviceSecrets({
      environmentFromFiles: ['FROM_FILE'],
      fromDotenv: { environment: ['UPSTREAM'], buildArgs: [], labels: [], hookEnvironment: [], command: [2], entrypoint: [] },
    }),
  };

  it('secret-looking keys, keys from files or .env and URL credentials must be markers; plain values must stay', () => {
    const redacted = redactComparable(
      container({ DB_PASSWORD: 'postgres', FROM_FILE: 'plain-looking', UPSTREAM: 'postgres', LOG_LEVEL: 'postgres', URL: 'postgres://app:pw-secret@db/app' }),
      redaction,
    );
    expect(redacted.environment).toEqual({
      DB_PASSWORD: redactor.marker('postgres'),
      FROM_FILE: redactor.marker('plain-looking'),
      UPSTREAM: redactor.marker('postgres'),
      LOG_LEVEL: 'postgres',
      URL: `postgres://app:${redactor.marker('pw-secret')}@db/app`,
    });
    expect(redacted.labels).toEqual({ 'app.token': redactor.marker('label-secret-1'), team: 'postgres' });
    expect(redacted).toMatchObject({ name: 'postgres-db-1', image: 'postgres:15', workingDir: '/srv/postgres' });
  });

  it('command words holding a .env value and secret-looking --flag=value words must be markers, other words kept', () => {
    const redacted = redactComparable(container({}, ['postgres', '--password=postgres', 'from-dotenv', '-p', '5432']), redaction);
    expect(redacted.command).toEqual(['postgres', `--password=${redactor.marker('postgres')}`, redactor.marker('from-dotenv'), '-p', '5432']);
  });

  it('a live word holding one of the service\'s secret values must be a marker as a whole; short values must not mark words', () => {
    const withValues: DriftRedaction = { ...redaction, secretValues: ['sentinel-secret-4711'] };
    const script = 'echo sentinel-secret-4711 > /dev/null; sleep 1';
    const redacted = redactComparable(container({}, ['sh', '-c', script]), withValues);
    expect(redacted.command).toEqual(['sh', '-c', redactor.marker(script)]);
    expect(redactComparable(container({}, ['sleep', '1']), withValues).command).toEqual(['sleep', '1']);
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
});
