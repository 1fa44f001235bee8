import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { fileHeader, tarArchive } from '../tar/tar-write.js';

// Redis with `appendonly yes` loads the append-only file at start and never reads dump.rdb, so putting the
// RDB file back is not a restore: the server would come back with what the AOF holds (the data the
// restore meant to replace). BGSAVE still writes the whole data set, so the backup is the same; what the
// backup records is where the AOF lives, and the restore writes the RDB as the AOF too:
//   Redis 7 (`appenddirname`): a fresh multi-part AOF: the RDB as base file, an empty incr file, and a
//     manifest naming the two; the manifest is what Redis reads, so older parts in the directory are
//     ignored (and removed by Redis's own next rewrite);
//   before 7 (one file): the RDB as `appendfilename` (an AOF may start with an RDB preamble).

export interface RedisAof {
  layout: 'multi-part' | 'single-file';
  /** The AOF directory (multi-part) or the directory of the AOF file (single-file), in the container. */
  directory: string;
  /** `appendfilename` (default `appendonly.aof`). */
  fileName: string;
}

/** From CONFIG GET: null when AOF is off. */
export function redisAofOf(config: { appendonly: string; dir: string; appendfilename: string; appenddirname: string | null }): RedisAof | null {
  if (config.appendonly.trim().toLowerCase() !== 'yes') return null;
  const fileName = config.appendfilename.trim() || 'appendonly.aof';
  if (config.appenddirname === null || config.appenddirname.trim() === '') return { layout: 'single-file', directory: config.dir, fileName };
  return { layout: 'multi-part', directory: posix.join(config.dir, config.appenddirname.trim()), fileName };
}

/** The files a restore writes for the AOF, relative to `posix.dirname(aof.directory)` (multi-part) or to `aof.directory`. */
export function aofFileNames(aof: RedisAof): { base: string; incr: string | null; manifest: string | null } {
  if (aof.layout === 'single-file') return { base: aof.fileName, incr: null, manifest: null };
  const directory = posix.basename(aof.directory);
  return {
    base: `${directory}/${aof.fileName}.1.base.rdb`,
    incr: `${directory}/${aof.fileName}.1.incr.aof`,
    manifest: `${directory}/${aof.fileName}.manifest`,
  };
}

export function aofManifestText(fileName: string): string {
  return `file ${fileName}.1.base.rdb seq 1 type b\nfile ${fileName}.1.incr.aof seq 1 type i\n`;
}

/** Where the restore tar is extracted. */
export function aofExtractDirectory(aof: RedisAof): string {
  return aof.layout === 'single-file' ? aof.directory : posix.dirname(aof.directory);
}

/** The tar a restore puts at `aofExtractDirectory(aof)`: the RDB (`size` bytes of `rdb`) as the AOF. */
export function aofRestoreTar(aof: RedisAof, rdb: Readable, size: number, owner: { mode: number; uid: number; gid: number }): Readable {
  const names = aofFileNames(aof);
  const file = (name: string, length: number) => fileHeader({ name, size: length, mode: owner.mode, uid: owner.uid, gid: owner.gid });
  return tarArchive(async (add) => {
    if (aof.layout === 'multi-part') {
      await add({ name: `${posix.basename(aof.directory)}/`, type: 'directory', mode: 0o755, uid: owner.uid, gid: owner.gid, mtime: new Date() });
    }
    await add(file(names.base, size), rdb);
    if (names.incr !== null && names.manifest !== null) {
      await add(file(names.incr, 0), Buffer.alloc(0));
      const manifest = Buffer.from(aofManifestText(aof.fileName));
      await add(file(names.manifest, manifest.length), manifest);
    }
  });
}
