import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forEachTarEntry } from '../tar/tar-read.js';
import { aofExtractDirectory, aofFileNames, aofRestoreTar, redisAofOf, type RedisAof } from './redis-aof.js';

describe('redisAofOf', () => {
  it.each([
    ['AOF off', { appendonly: 'no', dir: '/data', appendfilename: 'appendonly.aof', appenddirname: 'appendonlydir' }, null],
    ['Redis 7, AOF on', { appendonly: 'yes', dir: '/data', appendfilename: 'appendonly.aof', appenddirname: 'appendonlydir' }, { layout: 'multi-part', directory: '/data/appendonlydir', fileName: 'appendonly.aof' }],
    ['Redis 6, AOF on (no appenddirname)', { appendonly: 'yes', dir: '/var/lib/redis', appendfilename: 'cache.aof', appenddirname: null }, { layout: 'single-file', directory: '/var/lib/redis', fileName: 'cache.aof' }],
  ])('%s', (_case, config, expected) => {
    expect(redisAofOf(config)).toEqual(expected);
  });
});

describe('aofRestoreTar', () => {
  const entriesOf = async (tar: Readable) => {
    const entries: string[] = [];
    await forEachTarEntry(tar, (header) => void entries.push(`${header.type} ${header.name} ${header.size}`));
    return entries;
  };
  it('Redis 7: a directory holding the RDB as base, an empty incr file and the manifest naming both', async () => {
    const aof: RedisAof = { layout: 'multi-part', directory: '/data/appendonlydir', fileName: 'appendonly.aof' };
    const tar = aofRestoreTar(aof, Readable.from([Buffer.from('REDIS0011')]), 9, { mode: 0o644, uid: 100, gid: 101 });
    expect(await entriesOf(tar)).toEqual(['directory appendonlydir/ 0', 'file appendonlydir/appendonly.aof.1.base.rdb 9', 'file appendonlydir/appendonly.aof.1.incr.aof 0', 'file appendonlydir/appendonly.aof.manifest 88']);
    expect(aofExtractDirectory(aof)).toBe('/data');
  });
  it('before Redis 7: the RDB as the one AOF file', async () => {
    const aof: RedisAof = { layout: 'single-file', directory: '/data', fileName: 'appendonly.aof' };
    expect(aofFileNames(aof)).toEqual({ base: 'appendonly.aof', incr: null, manifest: null });
    expect(await entriesOf(aofRestoreTar(aof, Readable.from([Buffer.from('REDIS0009')]), 9, { mode: 0o644, uid: 0, gid: 0 }))).toEqual(['file appendonly.aof 9']);
  });
});
