import { describe, expect, it } from 'vitest';
import { checkBlankReferences, describeBlanks, isImageReference } from './blank-variables.js';

describe('isImageReference', () => {
  it.each([
    ['postgres', true],
    ['postgres:16-alpine', true],
    ['registry.local:5000/team/api:1.2', true],
    [`api@sha256:${'a'.repeat(64)}`, true],
    ['registry.local/api:', false],
    ['/api:1', false],
    ['', false],
    ['Api', false],
  ])('%j must be %s', (reference, valid) => {
    expect(isImageReference(reference)).toBe(valid);
  });
});

describe('describeBlanks', () => {
  it.each<[Array<{ name: string; unset: boolean }>, string]>([
    [[{ name: 'TAG', unset: true }], 'TAG is not set'],
    [[{ name: 'NAME', unset: false }], 'NAME is empty'],
    [[{ name: 'A', unset: true }, { name: 'B', unset: true }, { name: 'C', unset: false }], 'A and B are not set; C is empty'],
  ])('%j must read %j', (variables, expected) => {
    expect(describeBlanks(variables)).toBe(expected);
  });
});

describe('checkBlankReferences', () => {
  const document = { services: { api: { image: 'registry.local/api:', container_name: '', environment: { A: '' } }, ok: { image: 'registry.local/ok' } } };
  it('must name the variable for a spoiled image or container_name only', () => {
    expect(
      checkBlankReferences(document, [
        { path: ['services', 'api', 'image'], variables: [{ name: 'TAG', unset: true }] },
        { path: ['services', 'api', 'container_name'], variables: [{ name: 'NAME', unset: false }] },
        { path: ['services', 'api', 'environment', 'A'], variables: [{ name: 'A', unset: true }] },
        { path: ['services', 'ok', 'image'], variables: [{ name: 'SUFFIX', unset: true }] },
      ]),
    ).toEqual([
      { path: ['services', 'api', 'image'], message: '"registry.local/api:" is not a valid image reference: TAG is not set' },
      { path: ['services', 'api', 'container_name'], message: 'container_name came out empty: NAME is empty' },
    ]);
  });
});
