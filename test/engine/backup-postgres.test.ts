import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupBeforeRecreate } from '../../src/backup/before-recreate.js';
import { backupStack, leftoverHelpers } from '../../src/backup/testing/backup-stack.test-support.js';

// Backups of a real PostgreSQL 15 (composelet/postgres:15, built by scripts/build-db-image.sh) with the
// two-line preset: rows written, backed up, destroyed and restored come back equal; the restore stops the
// app that depends on the database and starts it again; verification reads the dump with pg_restore.

const stack = backupStack('backup-postgres', 'backup-pg');
const ROWS = `select count(*) || ' ' || md5(string_agg(id || ':' || name, ',' order by id)) from items`;
const psql = (sql: string) => stack.exec('db', 'psql', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-Atc', sql);

describe('backups of a real PostgreSQL', () => {
  beforeAll(async () => {
    const applied = await stack.run('apply', '--timeout', '90s');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    await psql("create table items (id int primary key, name text); insert into items select g, 'item ' || md5(g::text) from generate_series(1, 20000) g");
  }, 120_000);
  afterAll(() => stack.cleanup());

  it('rows written, backed up, destroyed and restored must come back equal', async () => {
    const written = await psql(ROWS);
    expect(written).toMatch(/^20000 [0-9a-f]{32}\n$/);

    const run = await stack.backup('run', '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout).runs;
    expect(existsSync(result.artifactPath)).toBe(true);
    expect(result.manifest).toMatchObject({ status: 'succeeded', strategy: 'exec', preset: 'postgres', image: 'composelet/postgres:15', exitStatus: 0 });
    expect(result.verification.checks.map((check: { name: string; ok: boolean }) => [check.name, check.ok])).toEqual([['checksum', true], ['gzip', true], ['pg_restore --list', true]]);

    await psql('drop table items');
    await expect(psql(ROWS)).rejects.toThrow('relation "items" does not exist');
    const appBefore = await stack.engine.inspectContainer(stack.containerName('app'));

    const restore = await stack.backup('restore', 'db', '--yes', '--json');
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    const { restore: restored } = JSON.parse(restore.stdout);
    expect(restored.steps.map((step: { step: string }) => step.step)).toEqual(['verify', 'stop dependents', 'restore', 'start dependents', 'check']);
    expect(restored.restarted).toEqual([stack.containerName('app')]);

    expect(await psql(ROWS)).toBe(written);
    const appAfter = await stack.engine.inspectContainer(stack.containerName('app'));
    expect(appAfter.State.Running).toBe(true);
    expect(appAfter.State.StartedAt).not.toBe(appBefore.State.StartedAt);
  });

  it('a restore drill must restore into a throwaway server and report what came back, with timings', async () => {
    const verify = await stack.backup('verify', '--drill', '--json');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const [report] = JSON.parse(verify.stdout).verifications;
    const drill = report.verification.checks.find((check: { name: string }) => check.name === 'restore drill');
    expect(drill).toMatchObject({ ok: true, detail: expect.stringMatching(/^restored into a throwaway composelet\/postgres:15 in \d+\.\ds: 1 tables$/) });
    expect(drill.durationMs).toBeGreaterThan(0);
  });

  it('before a recreate, the database must be backed up and the app must not need to be', async () => {
    const before = JSON.parse((await stack.backup('list', '--json')).stdout).backups[0].artifacts.length;
    const outcomes = await backupBeforeRecreate(stack.engine, stack.project(), ['db', 'app']);
    expect(outcomes.app).toMatchObject({ status: 'not-needed', reason: 'no backup definition' });
    expect(outcomes.db).toMatchObject({ status: 'backed-up' });
    expect(outcomes.db!.results[0]!.manifest).toMatchObject({ trigger: 'before-recreate', verification: { ok: true } });
    expect(JSON.parse((await stack.backup('list', '--json')).stdout).backups[0].artifacts.length).toBe(before + 1);
    expect(await leftoverHelpers(stack.projectName)).toEqual([]);
  });
});
