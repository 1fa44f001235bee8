import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectInDirectory, type ProjectSource } from '../desired-state/discover.js';

// Project keys: the project directory relative to the manifests root ('.' when the root is itself a
// project). The queue holds keys; a reconcile turns its key back into a directory and reads it afresh.

export function discoverProjectKeys(root: string): string[] {
  const absolute = resolve(root);
  if (projectInDirectory(absolute)) return ['.'];
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .filter((entry) => projectInDirectory(join(absolute, entry.name)) !== null)
    .map((entry) => entry.name)
    .sort();
}

/** The project's compose files as they are now; null when the directory or its compose file is gone. */
export function projectSourceOf(root: string, key: string): ProjectSource | null {
  return projectInDirectory(key === '.' ? resolve(root) : join(resolve(root), key));
}
