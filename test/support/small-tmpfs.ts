import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A small tmpfs that a test can fill to the last byte (ENOSPC) and free again: the real "disk full", not
// a mock. Mounting needs root (as the engine tests have); a machine where it fails fails the test, loudly.

export interface SmallTmpfs {
  directory: string;
  /** Writes a filler file until the file system refuses (ENOSPC). */
  fill(): void;
  /** Removes the filler. */
  free(): void;
  unmount(): void;
}

/** Mounts a tmpfs of `sizeKiB` (default 64) at `at` (an existing empty directory) or at a new temp directory. */
export function mountSmallTmpfs(options: { sizeKiB?: number; at?: string } = {}): SmallTmpfs {
  const directory = options.at ?? mkdtempSync(join(tmpdir(), 'composelet-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${options.sizeKiB ?? 64}k`, 'tmpfs', directory], { stdio: 'pipe' });
  } catch (error) {
    if (!options.at) rmdirSync(directory);
    throw new Error(`cannot mount a tmpfs at ${directory} (these tests need root): ${(error as Error).message}`);
  }
  const filler = join(directory, 'filler');
  return {
    directory,
    fill() {
      const descriptor = openSync(filler, 'a');
      const page = Buffer.alloc(1024);
      try {
        for (;;) writeSync(descriptor, page);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(descriptor);
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      execFileSync('umount', ['-l', directory], { stdio: 'pipe' });
      if (!options.at) rmdirSync(directory);
    },
  };
}
