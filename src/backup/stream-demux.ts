import { Transform, type TransformCallback } from 'node:stream';

// The engine multiplexes a container's stdout and stderr on one connection when there is no TTY: frames
// of an 8-byte header (stream type, three zero bytes, big-endian payload size) and the payload. This
// Transform passes stdout through (so a pipeline keeps backpressure: a slow disk slows the dumper, memory
// stays flat) and hands stderr to a callback.

const HEADER_BYTES = 8;
const STDOUT = 1;
const STDERR = 2;

export class StreamDemux extends Transform {
  private header = Buffer.alloc(0);
  private remaining = 0;
  private streamType = STDOUT;

  constructor(private readonly onStderr: (chunk: Buffer) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        const needed = HEADER_BYTES - this.header.length;
        this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + needed)]);
        offset += Math.min(needed, chunk.length - offset);
        if (this.header.length < HEADER_BYTES) break;
        this.streamType = this.header[0]!;
        this.remaining = this.header.readUInt32BE(4);
        this.header = Buffer.alloc(0);
        if (this.streamType !== STDOUT && this.streamType !== STDERR && this.streamType !== 0) {
          callback(new Error(`unexpected stream type ${this.streamType} in the engine's output`));
          return;
        }
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      const payload = chunk.subarray(offset, offset + take);
      offset += take;
      this.remaining -= take;
      if (this.streamType === STDERR) this.onStderr(payload);
      else this.push(payload);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.header.length > 0 || this.remaining > 0) callback(new Error('the engine closed the output stream in the middle of a frame'));
    else callback();
  }
}

/** Keeps the last `limit` bytes written to it: stderr of a dump can be long, and only its end matters. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = 64 * 1024) {}

  append(chunk: Buffer): void {
    this.chunks.push(Buffer.from(chunk));
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

/** A frame as the engine writes it, for tests and fakes. */
export function frame(streamType: 1 | 2, payload: Buffer | string): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = streamType;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
