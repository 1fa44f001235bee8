import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSuspension, nextExpiryInMs, suspendedScope, withoutSuspensions, withSuspension, type Suspension } from './suspension.js';
import { readSuspensions, suspensionDirectory, suspensionPath, writeSuspensions } from './suspension-store.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const suspension = (service: string | null, until: string | null, reason = 'maintenance'): Suspension => ({
  project: 'shop',
  service,
  by: 'ops@host',
  reason,
  since: '2026-03-01T09:00:00.000Z',
  until,
});
const LATER = '2026-03-01T11:00:00.000Z';
const EARLIER = '2026-03-01T09:30:00.000Z';

describe('suspensions', () => {
  it.each<[string, Suspension[], { project: string | null; services: Record<string, string> }]>([
    ['nothing suspended must hold nothing', [], { project: null, services: {} }],
    ['a suspended service must be held, with who, until when and why', [suspension('db', LATER)], { project: null, services: { db: `suspended by ops@host until ${LATER}: maintenance` } }],
    ['an expired suspension must hold nothing', [suspension('db', EARLIER)], { project: null, services: {} }],
    ['a suspension until resumed must hold', [suspension('db', null)], { project: null, services: { db: 'suspended by ops@host until resumed: maintenance' } }],
    [
      'a project suspension must hold every service',
      [suspension(null, LATER, 'restore')],
      { project: `suspended by ops@host until ${LATER}: restore`, services: { api: `suspended by ops@host until ${LATER}: restore`, db: `suspended by ops@host until ${LATER}: restore` } },
    ],
  ])('%s', (_name, suspensions, expected) => {
    expect(suspendedScope(['api', 'db'], suspensions, NOW)).toEqual(expected);
  });

  it.each<[string, Suspension[], number | null]>([
    ['none', [], null],
    ['until resumed never ends by itself', [suspension('db', null)], null],
    ['the earliest active end', [suspension('db', LATER), suspension('api', '2026-03-01T10:00:05.000Z')], 5_000],
    ['expired ones do not count', [suspension('db', EARLIER)], null],
  ])('the next expiry (%s)', (_name, suspensions, expected) => {
    expect(nextExpiryInMs(suspensions, NOW)).toBe(expected);
  });

  it('suspending again must replace the earlier suspension of the same target and drop expired ones', () => {
    const result = withSuspension([suspension('db', LATER, 'first'), suspension('api', EARLIER)], suspension('db', null, 'second'), NOW);
    expect(result).toEqual([suspension('db', null, 'second')]);
  });

  it.each<[string, string[], string[], string[]]>([
    ['resume named services only', ['db'], ['api'], ['db']],
    ['resume everything when none is named', [], [], ['', 'api', 'db']],
  ])('%s', (_name, services, kept, resumed) => {
    const existing = [suspension(null, LATER), suspension('api', LATER), suspension('db', LATER)];
    const result = withoutSuspensions(existing, services, NOW);
    expect(result.kept.map((entry) => entry.service ?? '').filter((name) => name !== '')).toEqual(kept);
    expect(result.resumed.map((entry) => entry.service ?? '')).toEqual(resumed);
  });

  it('must be stored in a private directory and read back as written', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-suspend-'));
    expect(await readSuspensions(stateDir, 'shop')).toEqual([]);
    await writeSuspensions(stateDir, 'shop', [suspension('db', LATER)]);
    expect(await readSuspensions(stateDir, 'shop')).toEqual([suspension('db', LATER)]);
    expect(statSync(suspensionDirectory(stateDir)).mode & 0o777).toBe(0o700);
    expect(statSync(suspensionPath(stateDir, 'shop')).mode & 0o777).toBe(0o600);
    expect(describeSuspension(suspension('db', LATER))).toBe(`suspended by ops@host until ${LATER}: maintenance`);
  });
});
