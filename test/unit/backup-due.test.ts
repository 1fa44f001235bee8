import { describe, expect, it } from 'vitest';
import type { BackupIndex } from '../../src/backup/artifacts/backup-index.js';
import type { ArtifactRecord, DefinitionHistory } from '../../src/backup/artifacts/history.js';
import type { ArtifactManifest } from '../../src/backup/artifacts/manifest.js';
import { resolveBackupDefinitions } from '../../src/backup/definitions/resolve.js';
import { backupStatusOf } from '../../src/backup/backup-status.js';
import { backupSchedule, dueBackups, jitterMs, nextRunAt } from '../../src/backup/schedule/due.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { Project } from '../../src/desired-state/model.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';

// Which scheduled backups are due: after the last good run at the schedule's next time; a run missed
// while the controller was down made once at start, spread by a per-definition jitter; retries wait.

function projectOf(text: string): Project {
  const result = loadDesiredState(writeManifestTree({ 'compose.yaml': text }, { directoryName: 'shop' }), { environment: {} });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.state.projects[0]!;
}

const nightly = projectOf(yaml`
  services:
    db:
      image: composelet/postgres:15
      x-composelet:
        backup: { preset: postgres, schedule: "0 3 * * *" }
    cache:
      image: composelet/redis:7
      x-composelet:
        backup: { preset: redis, schedule: { every: 6h } }
    web:
      image: composelet/busybox:1
      x-composelet:
        backup: { strategy: files, paths: [/etc] }
`);

function record(startedAt: string, status: 'succeeded' | 'failed'): ArtifactRecord {
  const manifest = { startedAt, finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(), status } as ArtifactManifest;
  return { manifest, manifestPath: `/b/${startedAt}.json`, artifactPath: status === 'succeeded' ? `/b/${startedAt}` : null };
}

function indexOf(runs: Record<string, Array<[string, 'succeeded' | 'failed']>>): BackupIndex {
  const histories: Record<string, DefinitionHistory> = {};
  for (const [name, entries] of Object.entries(runs)) {
    const records = entries.map(([startedAt, status]) => record(startedAt, status)).sort((left, right) => right.manifest.startedAt.localeCompare(left.manifest.startedAt));
    histories[name] = { definition: name, directory: '/b', artifacts: records.filter((entry) => entry.artifactPath), failures: records.filter((entry) => !entry.artifactPath), leftovers: [] };
  }
  return { histories };
}

const at = (text: string) => new Date(text);
const options = { maxJitterMs: 0 };

describe('backupSchedule', () => {
  it('definitions without a schedule must not be scheduled', () => {
    expect(backupSchedule(nightly, indexOf({}), at('2025-06-15T12:00:00Z'), options).map((entry) => entry.definition.name).sort()).toEqual(['cache', 'db']);
  });

  it('a never-run backup must be due at once', () => {
    const due = dueBackups(nightly, indexOf({}), at('2025-06-15T12:00:00Z'), options);
    expect(due.map((entry) => [entry.definition.name, entry.reason])).toEqual([['cache', 'never-run'], ['db', 'never-run']]);
  });

  it('a backup that ran last night must wait for tonight', () => {
    const index = indexOf({ db: [['2025-06-15T03:00:00Z', 'succeeded']], cache: [['2025-06-15T10:00:00Z', 'succeeded']] });
    const schedule = backupSchedule(nightly, index, at('2025-06-15T12:00:00Z'), options);
    expect(schedule.map((entry) => [entry.definition.name, entry.due, entry.reason, entry.runAt.toISOString()])).toEqual([
      ['cache', false, 'waiting', '2025-06-15T16:00:00.000Z'],
      ['db', false, 'waiting', '2025-06-16T03:00:00.000Z'],
    ]);
    expect(dueBackups(nightly, index, at('2025-06-16T02:59:00Z'), options).map((entry) => entry.definition.name)).toEqual(['cache']);
    expect(dueBackups(nightly, index, at('2025-06-16T03:00:00Z'), options).map((entry) => [entry.definition.name, entry.reason])).toEqual([['cache', 'scheduled'], ['db', 'scheduled']]);
  });

  it('runs missed while the controller was down must be made once at start, then the schedule goes on', () => {
    const startedAt = at('2025-06-18T12:00:00Z');
    const index = indexOf({ db: [['2025-06-15T03:00:00Z', 'succeeded']] });
    const due = dueBackups(nightly, index, startedAt, { ...options, startedAt });
    expect(due.filter((entry) => entry.definition.name === 'db').map((entry) => [entry.reason, entry.scheduledAt.toISOString(), entry.runAt.toISOString()])).toEqual([
      ['missed', '2025-06-16T03:00:00.000Z', '2025-06-18T12:00:00.000Z'],
    ]);
    const afterCatchUp = indexOf({ db: [['2025-06-15T03:00:00Z', 'succeeded'], ['2025-06-18T12:00:00Z', 'succeeded']] });
    const later = at('2025-06-18T12:05:00Z');
    expect(dueBackups(nightly, afterCatchUp, later, { ...options, startedAt }).some((entry) => entry.definition.name === 'db')).toBe(false);
    expect(backupSchedule(nightly, afterCatchUp, later, { ...options, startedAt }).find((entry) => entry.definition.name === 'db')?.runAt.toISOString()).toBe('2025-06-19T03:00:00.000Z');
  });

  it('start-up catch-up runs must be spread by a fixed per-definition jitter', () => {
    const services = Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`db${index}`, { image: 'composelet/postgres:15', 'x-composelet': { backup: { preset: 'postgres', schedule: '0 3 * * *' } } }]));
    const many = projectOf(JSON.stringify({ services }));
    const startedAt = at('2025-06-18T12:00:00Z');
    const schedule = backupSchedule(many, indexOf({}), startedAt, { startedAt, maxJitterMs: 60_000 });
    const delays = schedule.map((entry) => entry.runAt.getTime() - startedAt.getTime());
    expect(new Set(delays).size).toBeGreaterThan(15);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(60_000);
    }
    expect(schedule.filter((entry) => entry.due).length).toBeLessThan(3);
    const again = backupSchedule(many, indexOf({}), at('2025-06-18T12:00:30Z'), { startedAt, maxJitterMs: 60_000 });
    expect(again.map((entry) => entry.runAt.getTime())).toEqual(schedule.map((entry) => entry.runAt.getTime()));
    expect(jitterMs(schedule[0]!.definition, 60_000)).toBe(delays[0]);
  });

  it('after a failed run the next try must wait for the retry delay', () => {
    const index = indexOf({ db: [['2025-06-15T03:00:00Z', 'succeeded'], ['2025-06-16T03:00:00Z', 'failed']] });
    const soon = dueBackups(nightly, index, at('2025-06-16T03:05:00Z'), { ...options, retryDelayMs: 600_000 });
    expect(soon.some((entry) => entry.definition.name === 'db')).toBe(false);
    const later = dueBackups(nightly, index, at('2025-06-16T03:11:00Z'), { ...options, retryDelayMs: 600_000 });
    expect(later.filter((entry) => entry.definition.name === 'db').map((entry) => [entry.reason, entry.runAt.toISOString()])).toEqual([['retry', '2025-06-16T03:11:00.000Z']]);
  });

  it('an interval schedule must be due `every` after the last good run', () => {
    const index = indexOf({ cache: [['2025-06-15T06:00:00Z', 'succeeded']] });
    expect(dueBackups(nightly, index, at('2025-06-15T11:59:00Z'), options).some((entry) => entry.definition.name === 'cache')).toBe(false);
    expect(dueBackups(nightly, index, at('2025-06-15T12:00:00Z'), options).some((entry) => entry.definition.name === 'cache')).toBe(true);
  });
});

describe('nextRunAt', () => {
  const [cache, db] = resolveBackupDefinitions(nightly).definitions;
  it('a cron schedule must give its next time after now', () => {
    expect(nextRunAt(db!, at('2025-06-15T12:00:00Z'))?.toISOString()).toBe('2025-06-16T03:00:00.000Z');
  });
  it('an interval schedule must give every after the last run, or now without one', () => {
    expect(nextRunAt(cache!, at('2025-06-15T12:00:00Z'), { lastRunAt: at('2025-06-15T10:00:00Z') })?.toISOString()).toBe('2025-06-15T16:00:00.000Z');
    expect(nextRunAt(cache!, at('2025-06-15T12:00:00Z'))?.toISOString()).toBe('2025-06-15T12:00:00.000Z');
  });
});

describe('backupStatusOf', () => {
  it('must give per definition the last good run, failures since and the next run', () => {
    const index = indexOf({ db: [['2025-06-15T03:00:00.000Z', 'succeeded'], ['2025-06-16T03:00:00.000Z', 'failed']] });
    const [cache, db, web] = backupStatusOf(nightly, index, at('2025-06-16T03:05:00Z'), options);
    expect(db).toMatchObject({ definition: 'db', lastSuccessAt: '2025-06-15T03:01:00.000Z', failuresSinceSuccess: 1, nextRunAt: '2025-06-16T03:11:00.000Z' });
    expect(cache).toMatchObject({ lastSuccessAt: null, failuresSinceSuccess: 0, nextRunAt: '2025-06-16T03:05:00.000Z' });
    expect(web).toMatchObject({ definition: 'web', nextRunAt: null });
  });
});
