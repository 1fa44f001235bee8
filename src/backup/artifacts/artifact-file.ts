import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PassThrough, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { writeJsonAtomically, type ArtifactManifest } from './manifest.js';

// Writing one artifact: content in, through gzip and a hash, to `<final>.partial`; then flushed, the
// manifest written, and the artifact renamed into place; a discarded one is removed. Everything is a
// stream pipeline, so memory stays flat however big the dump, and a slow disk slows the producer.

export interface ArtifactTotals {
  sha256: string;
  /** Bytes on disk. */
  size: number;
  /** Bytes written by the producer (before compression). */
  contentSize: number;
}

export interface ArtifactFile {
  partialPath: string;
  finalPath: string;
  /** The producer writes the content here and ends it. */
  sink: Writable;
  /** Waits for everything written to reach the disk (fsync) and closes the file. */
  finish(): Promise<ArtifactTotals>;
  /** Stops writing and removes the partial file. */
  discard(): Promise<void>;
}

class Counter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

class Hasher extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

export async function createArtifactFile(finalPath: string, options: { compress: 'gzip' | 'none' }): Promise<ArtifactFile> {
  const partialPath = `${finalPath}.partial`;
  // Created exclusively first: a name in use is an error here, not a surprise inside the pipeline.
  await (await open(partialPath, 'wx')).close();
  const sink = new PassThrough();
  const counter = new Counter();
  const hasher = new Hasher();
  const output = createWriteStream(partialPath, { flags: 'r+' });
  const stages = options.compress === 'gzip' ? [sink, counter, createGzip(), hasher, output] : [sink, counter, hasher, output];
  const written = pipeline(stages as unknown as [PassThrough, Writable]);
  written.catch(() => undefined); // awaited by finish(); discard() ignores it
  return {
    partialPath,
    finalPath,
    sink,
    async finish() {
      await written;
      await syncFile(partialPath);
      return { sha256: hasher.hash.digest('hex'), size: hasher.bytes, contentSize: counter.bytes };
    },
    async discard() {
      sink.destroy();
      output.destroy();
      await written.catch(() => undefined);
      await unlink(partialPath).catch(() => undefined);
    },
  };
}

/** fsync through a descriptor of its own: it flushes the file's data whichever descriptor wrote it. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Puts a finished artifact in place: manifest first, then the artifact's rename, which is the commit
 * (a listing needs both, so a crash in between leaves only a manifest that the next run removes). */
export async function commitArtifact(file: Pick<ArtifactFile, 'partialPath' | 'finalPath'>, manifest: ArtifactManifest): Promise<string> {
  const manifestPath = `${file.finalPath}.json`;
  await writeJsonAtomically(manifestPath, manifest);
  await rename(file.partialPath, file.finalPath);
  await syncDirectory(dirname(file.finalPath));
  return manifestPath;
}

export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const FULL: Record<string, string> = { ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EFBIG: 'file too large' };

/** A write to the destination that failed because it is full, in words; null for any other error. */
export function destinationFullMessage(error: unknown, directory: string): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(code in FULL)) return null;
  return `the destination ${directory} is full: ${FULL[code]} (${code}); nothing was kept`;
}
