import { unlink } from 'node:fs/promises';
import type { BackupDefinition } from './definitions/definition.js';
import { readHistory } from './artifacts/history.js';

// What a killed run leaves (a `.partial` file, a manifest whose artifact never got its final name) is
// removed by the next run of the same definition, under its lock, so it can never be another run's file.

export async function removeLeftovers(definition: Pick<BackupDefinition, 'name' | 'directory'>): Promise<string[]> {
  const history = await readHistory(definition);
  const removed: string[] = [];
  for (const path of history.leftovers) {
    try {
      await unlink(path);
      removed.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
