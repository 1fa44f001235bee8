// The part of tar-stream 2.x composelet uses (the package ships no types; @types/tar-stream describes 3.x).
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';

  export type EntryType =
    | 'file'
    | 'link'
    | 'symlink'
    | 'character-device'
    | 'block-device'
    | 'directory'
    | 'fifo'
    | 'contiguous-file'
    | 'pax-header'
    | 'pax-global-header'
    | 'gnu-long-link-path'
    | 'gnu-long-path';

  export interface Headers {
    name: string;
    size?: number;
    mode?: number;
    mtime?: Date;
    uid?: number;
    gid?: number;
    type?: EntryType | null;
    linkname?: string | null;
    uname?: string;
    gname?: string;
    devmajor?: number;
    devminor?: number;
    /** PAX records of the entry (path and linkpath included when the entry had them). */
    pax?: Record<string, string> | null;
  }

  export interface Pack extends Readable {
    entry(headers: Headers, content: string | Buffer, callback?: (error?: Error | null) => void): Writable;
    entry(headers: Headers, callback?: (error?: Error | null) => void): Writable;
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
