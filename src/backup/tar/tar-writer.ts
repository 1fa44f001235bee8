import { Readable, Transform, type TransformCallback } from 'node:stream';
import { END_OF_ARCHIVE, encodeHeader, paddingOf, type TarEntry } from './tar-format.js';
import type { TarItem } from './tar-parser.js';

// Writing tar streams: one file from a stream of known size (to copy an RDB file into a container), and
// re-encoding a parsed archive under new names (to merge the archives of several paths into one whose
// names are the paths inside the container).

export function fileEntry(fields: Partial<TarEntry> & Pick<TarEntry, 'name' | 'size'>): TarEntry {
  return { type: '0', mode: 0o644, uid: 0, gid: 0, mtime: Math.floor(Date.now() / 1000), linkName: '', uname: '', gname: '', devMajor: 0, devMinor: 0, pax: {}, ...fields };
}

/** A tar holding one file whose content is `content` (exactly `entry.size` bytes, else it fails). */
export function singleFileTar(entry: TarEntry, content: Readable): Readable {
  async function* blocks(): AsyncGenerator<Buffer> {
    yield encodeHeader(entry);
    let written = 0;
    for await (const chunk of content as AsyncIterable<Buffer>) {
      written += chunk.length;
      if (written > entry.size) throw new Error(`the content of ${entry.name} is longer than ${entry.size} bytes`);
      yield chunk;
    }
    if (written !== entry.size) throw new Error(`the content of ${entry.name} is ${written} bytes, expected ${entry.size}`);
    yield Buffer.alloc(paddingOf(entry.size));
    yield END_OF_ARCHIVE;
  }
  return Readable.from(blocks(), { objectMode: false });
}

/** Parsed items in, tar bytes out, each entry renamed; the end marker is left out so archives can be
 * concatenated (write END_OF_ARCHIVE after the last). Hard-link targets are renamed too. */
export class TarRenamer extends Transform {
  private padding = 0;
  private remaining = 0;

  constructor(private readonly rename: (name: string) => string) {
    super({ writableObjectMode: true });
  }

  override _transform(item: TarItem, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (item.kind === 'entry') {
      const entry = item.entry;
      const renamed: TarEntry = { ...entry, name: this.rename(entry.name), linkName: entry.type === '1' ? this.rename(entry.linkName) : entry.linkName };
      this.push(encodeHeader(renamed));
      this.remaining = entry.size;
      this.padding = paddingOf(entry.size);
    } else if (item.kind === 'data') {
      this.push(item.chunk);
      this.remaining -= item.chunk.length;
      if (this.remaining === 0 && this.padding > 0) {
        this.push(Buffer.alloc(this.padding));
        this.padding = 0;
      }
    }
    callback();
  }
}
