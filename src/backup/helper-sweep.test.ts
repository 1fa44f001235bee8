import { describe, expect, it } from 'vitest';
import { leftOverReason, UNOWNED_HELPER_AGE_MS, type HelperFacts } from './helper-sweep.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const context = { host: 'node-a', nowMs: NOW, isAlive: (pid: number) => pid === 100 };
const helper = (labels: Record<string, string>, ageMs = 0): HelperFacts => ({ labels, createdMs: NOW - ageMs });

describe('leftOverReason', () => {
  it.each([
    ['a helper of a dead process on this host', helper({ 'io.composelet.backup-helper': 'shop', 'io.composelet.backup-helper.owner': '200@node-a' }), 'its process 200 on node-a is gone'],
    ['a helper of a live process on this host', helper({ 'io.composelet.backup-helper': 'shop', 'io.composelet.backup-helper.owner': '100@node-a' }), null],
    ['a helper of another host (its own sweep removes it)', helper({ 'io.composelet.backup-helper': 'shop', 'io.composelet.backup-helper.owner': '200@node-b' }), null],
    ['a container without the helper label', helper({ 'io.composelet.backup-helper.owner': '200@node-a', 'com.docker.compose.project': 'shop' }), null],
    ['an owner label that is not pid@host', helper({ 'io.composelet.backup-helper': 'shop', 'io.composelet.backup-helper.owner': 'someone' }), null],
    ['an unowned helper younger than an hour (an older composelet may be using it)', helper({ 'io.composelet.backup-helper': 'shop' }, UNOWNED_HELPER_AGE_MS - 1), null],
    ['an unowned helper an hour old', helper({ 'io.composelet.backup-helper': 'shop' }, 2 * UNOWNED_HELPER_AGE_MS), 'made by an older composelet 120 min ago'],
  ])('%s', (_case, facts, reason) => {
    expect(leftOverReason(facts, context)).toBe(reason);
  });
});
