import { Writable } from 'node:stream';

/** A destination that keeps what was written, synchronously; `isTTY` pretends to be a terminal. */
export function captureStream(options: { isTTY?: boolean } = {}): { stream: Writable & { isTTY?: boolean }; text(): string; lines(): string[] } {
  const chunks: string[] = [];
  const stream: Writable & { isTTY?: boolean } = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  if (options.isTTY) stream.isTTY = true;
  const text = () => chunks.join('');
  return { stream, text, lines: () => text().split('\n').filter((line) => line !== '') };
}
