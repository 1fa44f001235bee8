import { describe, expect, it } from 'vitest';
import type { ComparableContainer } from '../normalize/comparable.js';
import { diffContainers, foldPath } from './compare.js';

// JSON Patch between the two sides, folded so each difference names one field.

const document = (value: Record<string, unknown>) => value as unknown as ComparableContainer;

describe('comparing', () => {
  it.each([
    ['/capAdd/1', '/capAdd'],
    ['/networks/p_front/aliases/0', '/networks/p_front/aliases'],
    ['/limits/restart/name', '/limits/restart'],
    ['/mounts/~1data/readOnly', '/mounts/~1data'],
    ['/healthcheck/intervalNs', '/healthcheck'],
    ['/environment/LOG_LEVEL', '/environment/LOG_LEVEL'],
    ['/limits/memoryBytes', '/limits/memoryBytes'],
  ])('%s must fold to %s', (path, folded) => {
    const desired = { capAdd: ['A', 'B'], networks: { p_front: { aliases: ['x'] } }, limits: { restart: { name: 'no' }, memoryBytes: 1 }, mounts: { '/data': { readOnly: true } }, healthcheck: { intervalNs: 1 }, environment: { LOG_LEVEL: 'info' } };
    expect(foldPath(path, desired, desired)).toBe(folded);
  });

  it('an array change must be one replace of the whole array, sorted by path, with both values', () => {
    expect(diffContainers(document({ capAdd: ['A', 'B', 'C'], environment: { B: '1' } }), document({ capAdd: ['A', 'C'], environment: { A: '2', B: '1' } }))).toEqual([
      { path: '/capAdd', op: 'replace', desired: ['A', 'B', 'C'], live: ['A', 'C'] },
      { path: '/environment/A', op: 'add', desired: null, live: '2' },
    ]);
  });

  it('a value only the desired side has must be a remove', () => {
    expect(diffContainers(document({ networks: { a: { aliases: [] }, b: { aliases: [] } } }), document({ networks: { a: { aliases: [] } } }))).toEqual([
      { path: '/networks/b', op: 'remove', desired: { aliases: [] }, live: null },
    ]);
  });
});
