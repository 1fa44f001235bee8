import { link, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

// Rotation by renames, each atomic, so a process killed at any moment leaves every line entirely in one
// file: `audit.log.K` (the oldest kept) is deleted, `audit.log.N` becomes `audit.log.N+1` from the highest
// down, then `audit.log` becomes `audit.log.1` and the writer opens a fresh `audit.log`. Killed halfway, a
// number is missing (the reader skips gaps) or `audit.log` is still big (the next append rotates it).
// Higher numbers are older; readers go from the highest number down to `audit.log`.
//
// Two processes may append to one log (apply while the controller runs): O_APPEND keeps their lines
// whole, and a lock file (`audit.log.lock`, holding the rotating process's pid) keeps two rotations from
// renaming over each other. A lock left by a killed process is taken over once its pid is gone (or after
// 30 s, in case the pid was reused); a live holder means "someone is rotating right now": the caller
// appends to the file it has and follows the rename on its next line.

export function rotatedPath(path: string, index: number): string {
  return `${path}.${index}`;
}

/** Rotated files that exist, as [index, path], highest (oldest) first. */
export async function rotatedFiles(path: string): Promise<Array<[number, string]>> {
  const directory = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return [];
    throw error;
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^[1-9]\d*$/.test(name.slice(prefix.length)))
    .map((name): [number, string] => [Number(name.slice(prefix.length)), join(directory, name)])
    .sort((left, right) => right[0] - left[0]);
}

/**
 * Rotates `path` if it is still the file `expected` (same device and inode): another process may have
 * rotated it since. Returns false when it did nothing (someone else rotated, or is rotating right now).
 */
export async function rotate(path: string, options: { keep: number; expected: { dev: number; ino: number } }): Promise<boolean> {
  const lock = await acquireLock(`${path}.lock`);
  if (lock === null) return false;
  try {
    const onDisk = await statOrNull(path);
    if (onDisk === null || onDisk.dev !== options.expected.dev || onDisk.ino !== options.expected.ino) return false;
    for (const [index, file] of await rotatedFiles(path)) {
      if (index >= options.keep) await rm(file, { force: true });
      else await renameIfPresent(file, rotatedPath(path, index + 1));
    }
    await rename(path, rotatedPath(path, 1));
    await syncDirectory(dirname(path));
    return true;
  } finally {
    await lock.release();
  }
}

/** Makes renames and creations in a directory durable; a no-op where directories cannot be synced. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    if (!isCode(error, 'EISDIR') && !isCode(error, 'EINVAL') && !isCode(error, 'EPERM') && !isCode(error, 'EBADF')) throw error;
  } finally {
    await handle?.close();
  }
}

/** A rotation takes milliseconds: a lock older than this was left by a process that died (or whose pid was reused). */
const LOCK_STALE_MS = 30_000;

async function acquireLock(lockPath: string): Promise<{ release(): Promise<void> } | null> {
  // The lock appears with its pid already in it: written to a file of this process's own, then hard-linked
  // to the lock's name (link(2) fails when the name exists, like O_EXCL). A lock created empty and filled
  // after would stay empty if its process were killed in between, and look "being created" to everyone.
  const ownPath = `${lockPath}.${process.pid}.${randomUUID().slice(0, 8)}`;
  await writeFile(ownPath, String(process.pid), { mode: 0o640 });
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await link(ownPath, lockPath);
        return { release: () => rm(lockPath, { force: true }) };
      } catch (error) {
        if (!isCode(error, 'EEXIST')) throw error;
        if (!(await isStale(lockPath))) return null;
        // Two processes finding the same stale lock at the same instant can both take it over; the inode check
        // in rotate() then keeps the second from rotating the file the first has just created.
        await rm(lockPath, { force: true });
      }
    }
    return null;
  } finally {
    await rm(ownPath, { force: true });
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  let content: string;
  let modifiedMs: number;
  try {
    [content, modifiedMs] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath).then((lockStat) => lockStat.mtimeMs)]);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return true;
    throw error;
  }
  if (Date.now() - modifiedMs > LOCK_STALE_MS) return true;
  const pid = Number(content.trim());
  // Locks are created with their pid in them; an empty one was left by an older version killed mid-creation.
  if (content.trim() === '') return true;
  return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true; // another log object of this process on the same path is rotating
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
}

export async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

export function isCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}
