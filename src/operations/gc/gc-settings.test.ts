import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../desired-state/load.js';
import { projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import { buildCacheKeepOf, gcSettings } from './gc-settings.js';

const withGc = (gc: string) => `name: shop\nx-composelet:\n  gc: ${gc}\nservices:\n  api:\n    image: busybox\n`;

function issuesOf(yaml: string): string[] {
  const directory = mkdtempSync(join(tmpdir(), 'composelet-gc-settings-'));
  writeFileSync(join(directory, 'compose.yaml'), yaml);
  const result = loadDesiredState(join(directory, 'compose.yaml'), { environment: {}, homeDir: directory });
  rmSync(directory, { recursive: true, force: true });
  return result.ok ? [] : result.issues.map((issue) => `${issue.line}: ${issue.message}`);
}

describe('x-composelet.gc', () => {
  it.each<[string, string, { schedule: string | null; buildCacheKeepBytes: number | null }]>([
    ['no gc settings: no schedule, no build-cache limit', '{}', { schedule: null, buildCacheKeepBytes: null }],
    ['a weekly schedule must be read as written', '{ schedule: "0 3 * * 5" }', { schedule: '0 3 * * 5', buildCacheKeepBytes: null }],
    ['a build-cache size must be read in bytes (powers of 1024)', '{ build_cache: { keep: 2GB } }', { schedule: null, buildCacheKeepBytes: 2 * 1024 ** 3 }],
    ['a schedule with seconds must be accepted', '{ schedule: "*/2 * * * * *", build_cache: { keep: 0 } }', { schedule: '*/2 * * * * *', buildCacheKeepBytes: 0 }],
  ])('%s', (_name, gc, expected) => {
    expect(gcSettings(projectFromYaml(withGc(gc)))).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['a bad cron expression must be refused on its line', '{ schedule: "0 3 * *" }', /^3: invalid cron expression: .*5 fields/],
    ['a bad size must be refused on its line', '{ build_cache: { keep: 2 parsecs } }', /^3: .*invalid byte size/],
    ['an unknown key must be refused', '{ buildcache: { keep: 1g } }', /^3: .*buildcache/],
  ])('%s', (_name, gc, expected) => {
    const issues = issuesOf(withGc(gc));
    expect(issues.length, 'refused').toBeGreaterThan(0);
    expect(issues[0]).toMatch(expected);
  });

  it.each<[string, Array<number | null>, number | null]>([
    ['no project sets it: no prune', [null, null], null],
    ['one project sets it', [null, 1024], 1024],
    ['the cache is the engine\'s, shared: the largest keep wins (the least removed)', [1024, 4096, null], 4096],
  ])('%s', (_name, keeps, expected) => {
    expect(buildCacheKeepOf(keeps)).toBe(expected);
  });
});
