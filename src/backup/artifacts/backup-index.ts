import type { BackupDefinition } from '../definitions/definition.js';
import { readHistory, type DefinitionHistory } from './history.js';

// Every definition's history in a project, read from disk: what `backup list` prints and what the
// controller's schedule decides from.

export interface BackupIndex {
  /** By definition name. */
  histories: Record<string, DefinitionHistory>;
}

export async function readBackupIndex(definitions: readonly BackupDefinition[]): Promise<BackupIndex> {
  const histories: Record<string, DefinitionHistory> = {};
  for (const definition of definitions) histories[definition.name] = await readHistory(definition);
  return { histories };
}
