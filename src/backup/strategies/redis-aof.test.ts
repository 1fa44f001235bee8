import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TarParser, type TarItem } from '../tar/tar-parser.js';
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
    const items: TarItem[] = [];
    const parser = tar.pipe(new TarParser());
    for await (const item of parser as AsyncIterable<TarItem>) items.push(item);
    return items.filter((item) => item.kind === 'entry').map((item) => (item.kind === 'entry' ? `${item.entry.type} ${item.entry.name} ${item.entry.size}` : ''));
  };
  it('Redis 7: a directory holding the RDB as base, an empty incr file and the manifest naming both', async () => {
    const aof: RedisAof = { layout: 'multi-part', directory: '/data/appendonlydir', fileName: 'appendonly.aof' };
    const tar = aofRestoreTar(aof, Readable.from([Buffer.from('REDIS0011')]), 9, { mode: 0o644, uid: 100, gid: 101 });
    expect(await entriesOf(tar)).toEqual(['5 appendonlydir/ 0', '0 appendonlydir/appendonly.aof.1.base.rdb 9', '0 appendonlydir/appendonly.aof.1.incr.aof 0', '0 appendonlydir/appendonly.aof.manifest 88']);
    expect(aofExtractDirectory(aof)).toBe('/data');
  });
  it('before Redis 7: the RDB as the one AOF file', async () => {
    const aof: RedisAof = { layout: 'single-file', directory: '/data', fileName: 'appendonly.aof' };
    expect(aofFileNames(aof)).toEqual({ base: 'appendonly.aof', incr: null, manifest: null });
    expect(await entriesOf(aofRestoreTar(aof, Readable.from([Buffer.from('REDIS0009')]), 9, { mode: 0o644, uid: 0, gid: 0 }))).toEqual(['0 appendonly.aof 9']);
  });
});
