import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { commitsOf, countCrashLoops, healEvents, inPeriod, summarizeActivity, suspensionEvents } from './audit-events.js';
import { summarizeBackup } from './backup-summary.js';
import { downtimeMs } from './downtime.js';
import { formatBytes, formatDuration, renderDailyMarkdown } from './render-markdown.js';
import { sampleAuditEntry, sampleReport } from './sample-report.test-support.js';
import { describeHealth, describeStates, serviceDay } from './service-days.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

const entry = sampleAuditEntry;

describe('heals and restarts from the audit log', () => {
  it.each([
    { name: 'a start of an exited container is a heal', fields: {}, kind: 'heal' },
    { name: 'the first create of a container is a deployment, not a heal', fields: { action: 'create-container', cause: 'not found' }, kind: null },
    { name: 'a start of a dead container is a heal', fields: { cause: 'dead' }, kind: 'heal' },
    { name: 'a restart of an unhealthy container is a restart', fields: { cause: 'unhealthy for 12s' }, kind: 'restart' },
    { name: 'a start by apply is not a heal', fields: { actor: 'apply' }, kind: null },
    { name: 'a failed start is not a heal', fields: { result: 'failed' as const }, kind: null },
    { name: 'a recreate for a changed spec is not a heal', fields: { action: 'create-container', cause: 'spec changed' }, kind: null },
    { name: 'the intended line is not a heal', fields: { result: 'intended' as const }, kind: null },
    { name: 'the start of a recreate the engine forced (stale task) is a heal', fields: { cause: 'recreate: the engine refuses to start it after its restart: task already exists' }, kind: 'heal' },
    { name: 'the create of that recreate is not a second heal', fields: { action: 'create-container', cause: 'recreate: the engine refuses to start it after its restart: task already exists' }, kind: null },
  ])('$name', ({ fields, kind }) => {
    const events = healEvents([entry(fields)]);
    expect(events.map((event) => event.kind)).toEqual(kind === null ? [] : [kind]);
  });

  it('a create of a container made before (removed since) is a heal', () => {
    const events = healEvents([entry({ action: 'create-container', cause: 'not found', seconds: 50 }), entry({ action: 'create-container', cause: 'not found', actor: 'apply', seconds: 1 })]);
    expect(events).toMatchObject([{ kind: 'heal', time: T0 + 50_000 }]);
  });

  it('entries outside the period are left out', () => {
    const entries = [entry({ seconds: -10 }), entry({ seconds: 10 }), entry({ seconds: 100 })];
    expect(inPeriod(entries, { since: new Date(T0), until: new Date(T0 + 50_000) }).map((item) => item.time)).toEqual([at(10)]);
  });
});

describe('crash loops', () => {
  it.each([
    { heals: [], loops: 0 },
    { heals: [0, 5, 15], loops: 1 },
    { heals: [0, 5], loops: 0 },
    { heals: [0, 5, 15, 40, 80], loops: 1 },
    { heals: [0, 5, 15, 3600, 3605, 3610], loops: 2 },
    { heals: [0, 700, 1400], loops: 0 },
    { heals: [15, 0, 5], loops: 1 },
  ])('heals at $heals s are $loops crash loops', ({ heals, loops }) => {
    expect(countCrashLoops(heals.map((seconds) => T0 + seconds * 1000))).toBe(loops);
  });
});

describe('time down (a lower bound)', () => {
  const period = { since: T0, until: T0 + 3_600_000 };
  const heal = (seconds: number, durationMs = 300) => ({ resource: 'container:shop-api-1', time: T0 + seconds * 1000, durationMs });
  it.each([
    { name: 'no heal, running: nothing', heals: [], container: null, downNow: [], expected: 0 },
    { name: 'a heal the engine knows nothing of counts its duration', heals: [heal(100)], container: null, downNow: [], expected: 300 },
    {
      name: 'the latest heal counts the engine stop -> start gap',
      heals: [heal(100)],
      container: { finishedAt: T0 + 98_000, startedAt: T0 + 99_500, running: true },
      downNow: [],
      expected: 1_500,
    },
    {
      name: 'only the latest heal of a container uses the engine gap',
      heals: [heal(50), heal(100)],
      container: { finishedAt: T0 + 98_000, startedAt: T0 + 99_500, running: true },
      downNow: [],
      expected: 300 + 1_500,
    },
    {
      name: 'a stop before the period falls back to the duration',
      heals: [heal(100)],
      container: { finishedAt: T0 - 5_000, startedAt: T0 + 99_500, running: true },
      downNow: [],
      expected: 300,
    },
    {
      name: 'a container down now counts from its stop to the end',
      heals: [],
      container: { finishedAt: T0 + 3_000_000, startedAt: T0 + 10_000, running: false },
      downNow: ['shop-api-1'],
      expected: 600_000,
    },
    { name: 'down since before the period: the whole period', heals: [], container: { finishedAt: null, startedAt: null, running: false }, downNow: ['shop-api-1'], expected: 3_600_000 },
  ])('$name', ({ heals, container, downNow, expected }) => {
    const containers = new Map(container === null ? [] : [['shop-api-1', container]]);
    expect(downtimeMs({ heals, containers, downNow, period })).toBe(expected);
  });
});

describe('backups within the period', () => {
  const period = { since: T0, until: T0 + 86_400_000 };
  const made = (seconds: number, size: number, verified: boolean | null) => ({
    finishedAt: at(seconds),
    size,
    verification: verified === null ? null : { ok: verified, verifiedAt: at(seconds), durationMs: 1, checks: [] },
  });
  const base = { project: 'shop', definition: 'db-dump', service: 'db', failed: [], firstScheduledAt: null };
  it.each([
    { name: 'made and verified, with their size', day: { ...base, succeeded: [made(10, 100, true), made(20, 50, null), made(-10, 999, true)] }, expected: { made: 2, verified: 1, failed: 0, missed: 0, sizeBytes: 150 } },
    { name: 'failed, with the newest error', day: { ...base, succeeded: [], failed: [{ finishedAt: at(5), error: 'old' }, { finishedAt: at(50), error: 'disk full' }] }, expected: { made: 0, failed: 2, missed: 0, lastError: 'disk full' } },
    { name: 'a scheduled run that never happened is missed', day: { ...base, succeeded: [], firstScheduledAt: T0 + 3_600_000 }, expected: { made: 0, missed: 1 } },
    { name: 'a run scheduled minutes before the end is not missed yet', day: { ...base, succeeded: [], firstScheduledAt: T0 + 86_400_000 - 60_000 }, expected: { missed: 0 } },
    { name: 'no schedule: never missed', day: { ...base, succeeded: [] }, expected: { missed: 0 } },
  ])('$name', ({ day, expected }) => {
    expect(summarizeBackup(day, period)).toMatchObject(expected);
  });
});

describe('what the controller did', () => {
  it('counts actions, actors and results, without the intended lines', () => {
    const activity = summarizeActivity([
      entry({}),
      entry({ cause: 'unhealthy for 5s' }),
      entry({ action: 'backup', actor: 'controller', result: 'failed' }),
      entry({ action: 'suspend', actor: 'suspend' }),
      entry({ result: 'intended' }),
    ]);
    expect(activity).toEqual({
      entries: 4,
      failed: 1,
      byAction: [{ key: 'start-container', count: 2 }, { key: 'backup', count: 1 }, { key: 'suspend', count: 1 }],
      byActor: [{ key: 'controller', count: 3 }, { key: 'suspend', count: 1 }],
      byResult: [{ key: 'succeeded', count: 3 }, { key: 'failed', count: 1 }],
    });
  });

  it('lists suspensions and commits deployed and quarantined', () => {
    const entries = [
      entry({ action: 'suspend', actor: 'suspend', cause: 'maintenance', seconds: 1 }),
      entry({ manifestCommit: 'a'.repeat(40), seconds: 2 }),
      entry({ manifestCommit: 'a'.repeat(40), seconds: 3 }),
      entry({ action: 'quarantine-commit', actor: 'git', manifestCommit: 'b'.repeat(40), result: 'failed', seconds: 4 }),
    ];
    expect(suspensionEvents(entries)).toMatchObject([{ action: 'suspend', cause: 'maintenance', service: 'api' }]);
    expect(commitsOf(entries)).toEqual([
      { commit: 'a'.repeat(40), project: 'shop', outcome: 'deployed', firstSeenAt: at(2) },
      { commit: 'b'.repeat(40), project: 'shop', outcome: 'quarantined', firstSeenAt: at(4) },
    ]);
  });
});

describe('service rows', () => {
  it.each([
    { states: [], replicas: 1, expected: 'missing' },
    { states: ['running'], replicas: 1, expected: 'running' },
    { states: ['running', 'running'], replicas: 2, expected: '2 running' },
    { states: ['running', 'exited'], replicas: 2, expected: '1 exited, 1 running' },
  ])('containers $states are "$expected"', ({ states, replicas, expected }) => {
    expect(describeStates(states.map((state) => ({ state })), replicas)).toBe(expected);
  });

  it.each([
    { healths: [], expected: 'none' },
    { healths: ['healthy', 'unhealthy'], expected: 'unhealthy' },
    { healths: ['none', 'healthy'], expected: 'healthy' },
  ])('healths $healths are $expected', ({ healths, expected }) => {
    expect(describeHealth(healths)).toBe(expected);
  });

  it('a service healed three times in a minute shows the heals, a crash loop and its time down', () => {
    const heals = healEvents([entry({ seconds: 10 }), entry({ seconds: 20 }), entry({ seconds: 40 }), entry({ service: 'web', seconds: 30 })]);
    const row = serviceDay({
      project: 'shop',
      drift: { name: 'api', status: 'in-sync', replicas: 1, containers: [{ name: 'shop-api-1', id: 'abc', state: 'running', exitCode: null, owned: true }], changes: [] },
      containers: new Map([['shop-api-1', { finishedAt: null, startedAt: null, running: true, health: 'healthy' }]]),
      heals,
      period: { since: T0, until: T0 + 60_000 },
    });
    expect(row).toEqual({ project: 'shop', service: 'api', status: 'in-sync', state: 'running', health: 'healthy', heals: 3, restarts: 0, crashLoops: 1, downMs: 900, downNow: false });
  });
});

describe('rendering', () => {
  it.each([
    [0, '0s'],
    [59_400, '59s'],
    [61_000, '1m 1s'],
    [3_600_000, '1h'],
    [5_460_000, '1h 31m'],
  ])('%i ms is %s', (milliseconds, text) => expect(formatDuration(milliseconds)).toBe(text));

  it.each([
    [512, '512 B'],
    [2048, '2.0 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
  ])('%i bytes is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('the report as a whole', () => {
  it('its JSON must validate against schemas/daily-report.v1.json', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/daily-report.v1.json', import.meta.url), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const valid = validate(JSON.parse(JSON.stringify(sampleReport())));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('a report missing a part must not validate', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/daily-report.v1.json', import.meta.url), 'utf8'));
    const { backups: _backups, ...partial } = sampleReport();
    expect(new Ajv().compile(schema)(partial)).toBe(false);
  });

  it('the markdown shows each part', () => {
    const text = renderDailyMarkdown(sampleReport());
    expect(text).toContain('| shop | api | in-sync | running | healthy | 3 | 1 | 1 | 1s |');
    expect(text).toContain('| shop | db-dump | db | 1 | 1 | 0 | 0 | 2.0 KiB | - |');
    expect(text).toContain('In sync: 1 services in 1 projects.');
    expect(text).toContain('| start-container | 1 |');
    expect(text).toContain('suspended by ops@host until resumed: maintenance');
  });
});
