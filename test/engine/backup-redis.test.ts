import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupStack, leftoverHelpers } from '../../src/backup/testing/backup-stack.test-support.js';

// Backups of a real Redis 7 (composelet/redis:7) with the two-line preset: BGSAVE, the RDB file copied
// out through the archive API; keys written, backed up, flushed and restored (stop, copy the file in,
// start) come back equal.

const stack = backupStack('backup-redis', 'backup-redis');
const cli = (...words: string[]) => stack.exec('cache', 'redis-cli', ...words);
const KEYS = 500;

describe('backups of a real Redis', () => {
  beforeAll(async () => {
    const applied = await stack.run('apply', '--timeout', '60s');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const pairs = Array.from({ length: KEYS }, (_, index) => [`key:${index}`, `value-${index}-${'x'.repeat(index % 50)}`]).flat();
    await cli('MSET', ...pairs);
    await cli('HSET', 'profile:1', 'name', 'Ada', 'language', 'en');
  }, 120_000);
  afterAll(() => stack.cleanup());

  it('keys written, backed up, flushed and restored must come back equal', async () => {
    const before = { size: await cli('DBSIZE'), sample: await cli('MGET', 'key:0', 'key:42', `key:${KEYS - 1}`), hash: await cli('HGETALL', 'profile:1') };
    expect(before.size.trim()).toBe(String(KEYS + 1));

    const run = await stack.backup('run', '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout).runs;
    expect(result.manifest).toMatchObject({ strategy: 'redis', preset: 'redis', details: { paths: ['/data/dump.rdb'], file: { uid: 100 } } });
    expect(result.artifactPath).toMatch(/\/cache-\d{8}T\d{6}\.\d{3}Z\.rdb\.gz$/);
    const rdbCheck = result.verification.checks.find((check: { name: string }) => check.name === 'rdb');
    expect(rdbCheck).toMatchObject({ ok: true, detail: expect.stringMatching(/^RDB version \d+$/) });

    await cli('FLUSHALL');
    await cli('SET', 'written-after-the-backup', 'lost on restore');
    expect((await cli('DBSIZE')).trim()).toBe('1');

    const restore = await stack.backup('restore', 'cache', '--yes');
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(restore.stdout).toContain('ok check: ');

    expect({ size: await cli('DBSIZE'), sample: await cli('MGET', 'key:0', 'key:42', `key:${KEYS - 1}`), hash: await cli('HGETALL', 'profile:1') }).toEqual(before);
    expect((await cli('EXISTS', 'written-after-the-backup')).trim()).toBe('0');
    const owner = await stack.exec('cache', 'stat', '-c', '%U', '/data/dump.rdb');
    expect(owner.trim()).toBe('redis');
  });

  it('a restore drill must load the file into a throwaway server and count the keys', async () => {
    const verify = await stack.backup('verify', '--drill');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`ok restore drill: restored into a throwaway composelet/redis:7 in \\d+\\.\\ds: ${KEYS + 1} keys`));
    expect(await leftoverHelpers(stack.projectName)).toEqual([]);
  });
});
