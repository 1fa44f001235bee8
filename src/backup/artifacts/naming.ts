import type { BackupDefinition } from '../definitions/definition.js';

// Artifact names: `<name>-<UTC timestamp>.<extension>[.gz]` in `<destination>/<project>/<service>/`,
// with `.partial` while being written, the manifest beside it as `<artifact>.json`, and a failed run
// recorded as `<name>-<timestamp>.failed.json`. Names sort by time; the manifest, not the name, is the
// source of truth.

const TIMESTAMP = '\\d{8}T\\d{6}\\.\\d{3}Z';

/** 2025-01-31T03:00:00.123Z -> 20250131T030000.123Z */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '');
}

export function artifactFileName(definition: Pick<BackupDefinition, 'name' | 'extension' | 'compress'>, startedAt: Date): string {
  return `${definition.name}-${formatTimestamp(startedAt)}.${definition.extension}${definition.compress === 'gzip' ? '.gz' : ''}`;
}

export function failureFileName(definition: Pick<BackupDefinition, 'name'>, startedAt: Date): string {
  return `${definition.name}-${formatTimestamp(startedAt)}.failed.json`;
}

export const PARTIAL_SUFFIX = '.partial';
export const MANIFEST_SUFFIX = '.json';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type FileKind = 'artifact' | 'manifest' | 'failure' | 'partial';

/** What a file in a service's directory is to a definition, or null when it is not the definition's
 * (another definition's, or not composelet's). */
export function classifyFile(definitionName: string, fileName: string): FileKind | null {
  const match = new RegExp(`^${escapeRegExp(definitionName)}-${TIMESTAMP}\\.(.+)$`).exec(fileName);
  if (!match) return null;
  const rest = match[1]!;
  if (rest.endsWith(PARTIAL_SUFFIX)) return 'partial';
  if (rest === 'failed.json') return 'failure';
  if (rest.endsWith(MANIFEST_SUFFIX)) return 'manifest';
  return 'artifact';
}

export function lockFileName(definitionName: string): string {
  return `.${definitionName}.lock`;
}
