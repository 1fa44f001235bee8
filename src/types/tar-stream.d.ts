// The part of tar-stream 2.x composelet uses (the package ships no types).
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';

  export interface Headers {
    name: string;
    size?: number;
    mode?: number;
    mtime?: Date;
    uid?: number;
    gid?: number;
    type?: 'file' | 'directory' | 'symlink' | 'link' | null;
  }

  export interface Pack extends Readable {
    entry(headers: Headers, content: string | Buffer, callback?: (error?: Error | null) => void): Writable;
    finalize(): void;
  }

  export interface Extract extends Writable {
    on(event: 'entry', listener: (headers: Required<Pick<Headers, 'name'>> & Headers, stream: Readable, next: () => void) => void): this;
    on(event: 'finish', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export function pack(): Pack;
  export function extract(): Extract;
}
