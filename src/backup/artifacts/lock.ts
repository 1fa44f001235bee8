import { hostname } from 'node:os';
import { join } from 'node:path';
import { open, readFile, unlink } from 'node:fs/promises';
import { lockFileName } from './naming.js';
import { isProcessAlive } from '../process-alive.js';

// One run per definition at a time (a scheduled run and a `backup run` must not clean up each other's
// partial files): a lock file created exclusively, holding the owner's pid and host. A lock whose process
// is gone (killed mid-backup) is stale and taken over.

export class BackupBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupBusyError';
  }
}

export async function withDefinitionLock<T>(directory: string, definitionName: string, work: () => Promise<T>): Promise<T> {
  const path = join(directory, lockFileName(definitionName));
  await acquire(path, definitionName);
  try {
    return await work();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function acquire(path: string, definitionName: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(path);
    if (owner && owner.host === hostname() && isProcessAlive(owner.pid)) {
      throw new BackupBusyError(`a backup of "${definitionName}" is already running (pid ${owner.pid})`);
    }
    if (owner && owner.host !== hostname()) {
      throw new BackupBusyError(`a backup of "${definitionName}" is running on host ${owner.host} (remove ${path} if it is not)`);
    }
    await unlink(path).catch(() => undefined);
  }
  throw new BackupBusyError(`could not take the lock ${path}`);
}

async function readOwner(path: string): Promise<{ pid: number; host: string } | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { pid: number; host: string };
  } catch {
    return null;
  }
}


/** Whether a live run (backup, verify or restore) holds the definition's lock: the controller should not
 * heal a service a backup stopped on purpose. */
export async function isLockHeld(directory: string, definitionName: string): Promise<boolean> {
  const owner = await readOwner(join(directory, lockFileName(definitionName)));
  if (!owner) return false;
  return owner.host !== hostname() || isProcessAlive(owner.pid);
}
