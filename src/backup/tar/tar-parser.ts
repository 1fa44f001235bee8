import { Transform, type TransformCallback } from 'node:stream';
import { BLOCK_SIZE, decodeHeader, isZeroBlock, paddingOf, parsePaxRecords, type TarEntry } from './tar-format.js';

// A streaming tar reader: bytes in, items out (an entry's header, then its data in chunks, then the end
// marker). Entry data is never held whole, only headers and extended headers (at most 1 MiB each).

export type TarItem = { kind: 'entry'; entry: TarEntry } | { kind: 'data'; chunk: Buffer } | { kind: 'end' };

const MAX_EXTENDED_HEADER = 1024 * 1024;

export class TarParser extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private state: 'header' | 'data' | 'extended' | 'padding' | 'ended' = 'header';
  private remaining = 0;
  private extendedType = '';
  private extended: Buffer[] = [];
  private pax: Record<string, string> = {};
  private longName: string | null = null;
  private longLink: string | null = null;

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === 'ended' ? null : new Error('the archive is truncated: it ends before its end-of-archive marker'));
  }

  private consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && this.state !== 'ended') {
      if (this.state === 'data' || this.state === 'extended' || this.state === 'padding') {
        const take = Math.min(this.remaining, chunk.length - offset);
        const part = chunk.subarray(offset, offset + take);
        offset += take;
        this.remaining -= take;
        if (this.state === 'data' && take > 0) this.push({ kind: 'data', chunk: part } satisfies TarItem);
        if (this.state === 'extended') this.extended.push(part);
        if (this.remaining === 0) this.finishBody();
        continue;
      }
      const needed = BLOCK_SIZE - this.pending.length;
      this.pending = Buffer.concat([this.pending, chunk.subarray(offset, offset + needed)]);
      offset += Math.min(needed, chunk.length - offset);
      if (this.pending.length === BLOCK_SIZE) {
        const block = this.pending;
        this.pending = Buffer.alloc(0);
        this.header(block);
      }
    }
  }

  private header(block: Buffer): void {
    if (isZeroBlock(block)) {
      this.state = 'ended';
      this.push({ kind: 'end' } satisfies TarItem);
      return;
    }
    const entry = decodeHeader(block);
    if (entry.type === 'x' || entry.type === 'L' || entry.type === 'K') {
      if (entry.size > MAX_EXTENDED_HEADER) throw new Error('an extended tar header is larger than 1 MiB');
      this.extendedType = entry.type;
      this.extended = [];
      this.startBody('extended', entry.size);
      return;
    }
    const full: TarEntry = { ...entry, pax: this.pax };
    if (this.pax.path !== undefined) full.name = this.pax.path;
    if (this.pax.linkpath !== undefined) full.linkName = this.pax.linkpath;
    if (this.pax.size !== undefined) full.size = Number(this.pax.size);
    if (this.longName !== null) full.name = this.longName;
    if (this.longLink !== null) full.linkName = this.longLink;
    this.pax = {};
    this.longName = null;
    this.longLink = null;
    this.push({ kind: 'entry', entry: full } satisfies TarItem);
    this.startBody('data', full.size);
  }

  private startBody(state: 'data' | 'extended', size: number): void {
    this.state = state;
    this.remaining = size;
    this.padding = paddingOf(size);
    if (size === 0) this.finishBody();
  }

  private padding = 0;

  private finishBody(): void {
    if (this.state === 'extended') {
      const body = Buffer.concat(this.extended);
      if (this.extendedType === 'x') this.pax = { ...this.pax, ...parsePaxRecords(body) };
      else if (this.extendedType === 'L') this.longName = body.toString('utf8').replace(/\0+$/, '');
      else this.longLink = body.toString('utf8').replace(/\0+$/, '');
    }
    if (this.state !== 'padding' && this.padding > 0) {
      this.state = 'padding';
      this.remaining = this.padding;
      this.padding = 0;
      return;
    }
    this.state = 'header';
  }
}
