import { statInput } from '../cache/recorded-reads.js';

// Files that hold secrets or keys must be the owner's alone, as ssh insists for its keys: a file that
// its group or others may read or write is refused, naming the file and its mode.

/** Whether a mode (st_mode) gives its group or others any permission. */
export function isOwnerOnly(mode: number): boolean {
  return (mode & 0o077) === 0;
}

export function formatMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** null when `file` is a regular file only its owner may read; else why not, naming the file. */
export function privateFileProblem(file: string): string | null {
  let stats;
  try {
    stats = statInput(file);
  } catch (error) {
    return `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`;
  }
  if (!stats.isFile()) return `${file}: not a file`;
  if (!isOwnerOnly(stats.mode)) {
    return `${file} is readable or writable by its group or others (mode ${formatMode(stats.mode)}); it holds secrets: chmod 600 ${file}`;
  }
  return null;
}
