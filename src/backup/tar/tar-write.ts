import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack, type Headers, type Pack } from 'tar-stream';

// Writing tar archives with tar-stream: the archive is a stream filled by an async function, so a restore
// can hand it to the engine's archive API while the content is still being read from disk.

/** Adds one entry to an archive being written; resolves once its content is in. */
export type AddTarEntry = (header: Headers, content?: Readable | Buffer) => Promise<void>;

/** An archive whose entries `fill` adds, then the end-of-archive marker; an error in `fill` fails the stream. */
export function tarArchive(fill: (add: AddTarEntry) => Promise<void>): Readable {
  const archive = pack();
  // tar-stream 2.x closes the pack without an error when an entry's size is wrong (the error goes to the
  // entry's callback): the output stream carries it.
  const output = new PassThrough();
  archive.on('error', (error: Error) => output.destroy(error));
  archive.pipe(output);
  const add: AddTarEntry = (header, content) => addEntry(archive, header, content);
  fill(add).then(
    () => archive.finalize(),
    (error: Error) => {
      output.destroy(error);
      archive.destroy();
    },
  );
  return output;
}

/** A file entry's header: owner root, mode 0644, modified now, unless given. */
export function fileHeader(fields: Headers & { size: number }): Headers & { size: number } {
  return { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: new Date(), ...fields };
}

/** A tar holding one file whose content is `content` (exactly `header.size` bytes, else it fails). */
export function singleFileTar(header: Headers & { size: number }, content: Readable): Readable {
  return tarArchive((add) => add(header, content));
}

async function addEntry(archive: Pack, header: Headers, content?: Readable | Buffer): Promise<void> {
  if (content === undefined || Buffer.isBuffer(content)) {
    await new Promise<void>((resolve, reject) => archive.entry(header, content ?? Buffer.alloc(0), (error) => (error ? reject(error) : resolve())));
    return;
  }
  let copied: Promise<void> = Promise.resolve();
  const written = new Promise<void>((resolve, reject) => {
    const sink = archive.entry(header, (error) => (error ? reject(sizeError(header, error)) : resolve()));
    copied = pipeline(content, sink);
  });
  await Promise.all([written, copied]);
}

function sizeError(header: Headers, error: Error): Error {
  if (error.message === 'size mismatch') return new Error(`the content of ${header.name} is not the ${header.size} bytes its header announced`);
  return error;
}
