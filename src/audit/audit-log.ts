import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEntry } from './audit-entry.js';
import { isCode, rotate, statOrNull, syncDirectory } from './rotation.js';

// The audit log: an append-only file of JSON lines, one per entry. Each line is one write() of the whole
// line (the file is opened O_APPEND, so the line lands at the end even with another process appending)
// followed by fdatasync(); `append` resolves only once every line of the call is on disk. Calls are
// serialized in a queue, so lines from concurrent calls never interleave and keep their call order.
// Rotation by size happens between lines (rotation.ts), never inside one.
//
// A kill cannot stop a write() halfway except between two pages of the page cache (Linux checks for a
// fatal signal there), so a writer killed at the wrong instant can leave its last line torn: bytes with no
// newline at the end of the file. The file is never rewritten to remove them (append-only: no byte once
// written is changed, which is also what makes the file trustworthy); instead a writer that opens a file
// whose last byte is not a newline starts its first line with one. The fragment stays alone on its own
// line, every line after it is whole, and the reader skips and reports it. Lines that were acknowledged
// (append resolved) are never torn.

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_KEEP = 5;
const FILE_MODE = 0o640;
const DIRECTORY_MODE = 0o750;

export interface AuditLogOptions {
  path: string;
  /** Rotate before a line would make the file larger than this. Default 10 MiB. */
  maxBytes?: number;
  /** Rotated files kept (`audit.log.1` ... `audit.log.K`). Default 5. */
  keep?: number;
}

export interface AuditLog {
  readonly path: string;
  /** Appends one line per entry; resolves once all of them are on disk. */
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** Waits for pending appends, then closes the file; appending afterwards fails. */
  close(): Promise<void>;
}

interface OpenFile {
  handle: FileHandle;
  dev: number;
  ino: number;
  /** The file does not end with a newline (a torn line, or a short write of ours): start the next line with one. */
  needsNewline: boolean;
}

export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const { path } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const keep = options.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`audit log maxBytes must be a positive integer, got ${maxBytes}`);
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`audit log keep must be a positive integer, got ${keep}`);
  await mkdir(dirname(path), { recursive: true, mode: DIRECTORY_MODE });
  let file: OpenFile | null = await openFile(path);
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  /** The file at `path` now: reopened when another process rotated (or someone removed) ours. */
  const current = async (): Promise<OpenFile> => {
    if (file !== null) {
      const onDisk = await statOrNull(path);
      if (onDisk !== null && onDisk.dev === file.dev && onDisk.ino === file.ino) return file;
      await file.handle.close();
      file = null;
    }
    file = await openFile(path);
    return file;
  };

  const appendLine = async (line: string) => {
    let target = await current();
    const size = (await target.handle.stat()).size;
    const length = Buffer.byteLength(line) + 1 + (target.needsNewline ? 1 : 0);
    if (size > 0 && size + length > maxBytes) {
      await rotate(path, { keep, expected: target });
      target = await current();
    }
    const buffer = Buffer.from(`${target.needsNewline ? '\n' : ''}${line}\n`);
    const { bytesWritten } = await target.handle.write(buffer, 0, buffer.length, null);
    if (bytesWritten !== buffer.length) {
      target.needsNewline = true;
      throw new Error(`audit log ${path}: short write (${bytesWritten} of ${buffer.length} bytes)`);
    }
    target.needsNewline = false;
    await target.handle.datasync();
  };

  const appendAll = async (lines: string[]) => {
    try {
      for (const line of lines) await appendLine(line);
    } catch (error) {
      // Whatever state the file is in, the next append starts over from a fresh open (which checks the tail).
      await file?.handle.close().catch(() => undefined);
      file = null;
      throw error;
    }
  };

  return {
    path,
    append(entries) {
      if (closed) return Promise.reject(new Error(`audit log ${path} is closed`));
      // Serialized before anything is awaited, so a line never depends on data changed after the call.
      const lines = entries.map((entry) => JSON.stringify(entry));
      const appended = queue.then(() => appendAll(lines));
      queue = appended.catch(() => undefined);
      return appended;
    },
    async close() {
      if (closed) return queue;
      closed = true;
      await queue;
      await file?.handle.close();
      file = null;
    },
  };
}

async function openFile(path: string): Promise<OpenFile> {
  let handle: FileHandle;
  let created = false;
  try {
    handle = await open(path, 'ax+', FILE_MODE);
    created = true;
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    handle = await open(path, 'a+', FILE_MODE);
  }
  try {
    if (created) {
      await handle.chmod(FILE_MODE); // whatever the umask
      await syncDirectory(dirname(path));
    }
    const stats = await handle.stat();
    return { handle, dev: stats.dev, ino: stats.ino, needsNewline: stats.size > 0 && !(await endsWithNewline(handle, stats.size)) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}
