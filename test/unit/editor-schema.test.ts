import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMBINED_SCHEMA_FILE, combinedSchema, X_COMPOSELET_SCHEMA_FILE, xComposeletSchema } from '../../src/desired-state/schema/editor-schema.js';

// The editor schemas: schemas/x-composelet.v1.json, generated from the zod schemas the loader validates
// with, and the Compose spec with it in place, for yaml-language-server. Both are committed; a stale
// one fails here (regenerate with `npm run schemas`).

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(join(REPOSITORY, file), 'utf8');
const composeSpec = JSON.parse(read('schemas/compose-spec.json')) as object;

function validatorOf(schema: object) {
  // The Compose spec uses keywords (deprecated) and formats (duration) ajv does not know: ignored.
  return new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
}
const validateCompose = validatorOf(combinedSchema(composeSpec));
const errorsOf = (document: unknown) => (validateCompose(document) ? [] : (validateCompose.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`));

describe('the editor schemas', () => {
  it.each([
    [X_COMPOSELET_SCHEMA_FILE, () => xComposeletSchema()],
    [COMBINED_SCHEMA_FILE, () => combinedSchema(composeSpec)],
  ])('%s must be the one generated from the zod schemas (run npm run schemas)', (file, generate) => {
    expect(read(file)).toBe(`${JSON.stringify(generate(), null, 2)}\n`);
  });

  it('manifests/example must be valid against the combined schema', () => {
    // Merge keys (`<<: *defaults`), as Compose and yaml-language-server read them.
    expect(errorsOf(parse(read('manifests/example/compose.yaml'), { merge: true }))).toEqual([]);
  });

  it.each([
    ['an unknown key in the project settings', { 'x-composelet': { prun: true } }, '/x-composelet must NOT have additional properties'],
    ['a healing flag that is not a boolean', { services: { web: { image: 'x', 'x-composelet': { healing: { enabled: [] } } } } }, '/services/web/x-composelet/healing/enabled must be boolean'],
    ['a backup strategy composelet does not have', { services: { db: { image: 'x', 'x-composelet': { backup: { strategy: 'rsync' } } } } }, '/services/db/x-composelet/backup/strategy must be equal to one of the allowed values'],
    ['an unknown service key (the Compose spec)', { services: { web: { image: 'x', imag: 'y' } } }, '/services/web must NOT have additional properties'],
  ])('%s must be an error', (_case, document, expected) => {
    expect(errorsOf(document)).toContain(expected);
  });

  it.each([
    ['"true" written as a string', { 'x-composelet': { prune: 'true', adopt: false } }],
    ['a duration as a string or a number', { services: { web: { image: 'x', 'x-composelet': { healing: { unhealthy_grace_period: '45s', backoff: { initial: 5 } } } } } }],
    ['an x- extension key inside x-composelet', { 'x-composelet': { 'x-note': 'anything' } }],
  ])('%s must be accepted', (_case, document) => {
    expect(errorsOf(document)).toEqual([]);
  });
});

describe('the example as an editor opens it', () => {
  it('manifests/example must name the combined schema for yaml-language-server, by a path that exists', () => {
    const firstLine = read('manifests/example/compose.yaml').split('\n')[0] ?? '';
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine);
    expect(match).not.toBeNull();
    expect(join('manifests/example', match?.[1] ?? '')).toBe(COMBINED_SCHEMA_FILE);
  });
});
