import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Headers } from 'tar-stream';

// Reading the tar archives the engine's archive API writes (ustar, PAX and GNU long names) with
// tar-stream: one entry at a time, its data streamed, never held whole. A corrupt header or an archive
// that ends before its end-of-archive marker is an error (tar-stream 2.x reports only an end inside an
// entry; EndMarkerCheck adds the rest).

export type TarHeader = Required<Pick<Headers, 'name'>> & Headers;

/** Calls `visit` for each entry in order; the next entry waits until `visit` settles (what it leaves
 * unread of the content is skipped). Rejects on the first error of the archive or of `visit`. */
export async function forEachTarEntry(archive: Readable, visit: (header: TarHeader, content: Readable) => Promise<void> | void, options: { signal?: AbortSignal } = {}): Promise<void> {
  const extractor = extract();
  extractor.on('entry', (header, content, next) => {
    content.once('end', next);
    Promise.resolve()
      .then(() => visit(header, content))
      .then(
        () => content.resume(),
        (error: Error) => extractor.destroy(error),
      );
  });
  try {
    await pipeline(archive, new EndMarkerCheck(), extractor, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    throw describeTarError(error as Error);
  }
}

/** tar-stream's messages, said as what they mean for a backup. */
export function describeTarError(error: Error): Error {
  if (/Invalid tar header/.test(error.message)) return new Error(`the archive is corrupt (a tar header's checksum does not match): ${error.message}`, { cause: error });
  if (/Unexpected end of data/.test(error.message)) return new Error('the archive is truncated: it ends inside an entry', { cause: error });
  return error;
}

/** Whether an entry holds file data (not a directory, link or device). */
export function isRegularFile(header: Pick<Headers, 'type'>): boolean {
  return header.type === 'file' || header.type === 'contiguous-file' || header.type === undefined || header.type === null;
}

const END_MARKER_BYTES = 1024;

/** Passes bytes through and fails at the end unless the archive ends with its marker (two zero blocks;
 * GNU tar pads further with zeros). An archive cut right after a file data block that ends in 1 KiB of
 * zeros is not told apart. */
export class EndMarkerCheck extends Transform {
  private tail = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.tail = chunk.length >= END_MARKER_BYTES ? Buffer.from(chunk.subarray(-END_MARKER_BYTES)) : Buffer.concat([this.tail, chunk]).subarray(-END_MARKER_BYTES);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const ended = this.tail.length === END_MARKER_BYTES && this.tail.every((byte) => byte === 0);
    callback(ended ? null : new Error('the archive is truncated: it ends before its end-of-archive marker'));
  }
}
