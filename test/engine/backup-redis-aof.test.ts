import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupStack } from '../../src/backup/testing/backup-stack.test-support.js';
import { eventually } from '../support/eventually.js';

// Redis 7 with `appendonly yes` loads its append-only file at start and ignores dump.rdb: a restore
// that only puts the RDB file back brings back what the AOF holds, not the backup. Keys written, backed
// up, flushed and overwritten, then restored, must come back equal, and stay so across another restart.

const stack = backupStack('backup-redis-aof', 'backup-redis-aof');
const cli = (...words: string[]) => stack.exec('cache', 'redis-cli', ...words);
const KEYS = 300;

describe('backups of a real Redis with appendonly on', () => {
  beforeAll(async () => {
    const applied = await stack.run('apply', '--timeout', '60s');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect((await cli('CONFIG', 'GET', 'appendonly')).split('\n')[1]).toBe('yes');
    await cli('MSET', ...Array.from({ length: KEYS }, (_, index) => [`key:${index}`, `value-${index}`]).flat());
  }, 120_000);
  afterAll(() => stack.cleanup());

  it('a restore must bring back the backed-up keys, not what the append-only file held', async () => {
    const before = { size: (await cli('DBSIZE')).trim(), sample: await cli('MGET', 'key:0', `key:${KEYS - 1}`) };
    const run = await stack.backup('run', '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout).runs;
    expect(result.manifest.details.redisAof).toEqual({ layout: 'multi-part', directory: '/data/appendonlydir', fileName: 'appendonly.aof' });

    await cli('FLUSHALL');
    await cli('SET', 'written-after-the-backup', 'lost on restore');
    const restore = await stack.backup('restore', 'cache', '--yes');
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(restore.stdout).toContain('as the append-only file in /data/appendonlydir');

    expect({ size: (await cli('DBSIZE')).trim(), sample: await cli('MGET', 'key:0', `key:${KEYS - 1}`) }).toEqual(before);
    expect((await cli('EXISTS', 'written-after-the-backup')).trim()).toBe('0');
    // Written after the restore, kept by the AOF across a restart like any write.
    await cli('SET', 'after-restore', 'kept');
    await stack.engine.stopContainer(stack.containerName('cache'), { timeoutSeconds: 5, signal: null });
    await stack.engine.startContainer(stack.containerName('cache'));
    await eventually(async () => expect((await cli('PING')).trim()).toBe('PONG'), { timeoutMs: 15_000 });
    expect((await cli('DBSIZE')).trim()).toBe(String(KEYS + 1));
  });
});
