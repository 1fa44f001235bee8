import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupDefinition } from '../definitions/definition.js';
import { classifyFile } from './naming.js';
import type { ArtifactManifest } from './manifest.js';

// A definition's history, read from its directory: artifacts (a manifest and its file, both in place),
// failed runs, and leftovers of runs that were killed (partial files, a manifest without its artifact),
// which are never listed and which the next run removes.

export interface ArtifactRecord {
  manifest: ArtifactManifest;
  manifestPath: string;
  /** null for a failed run. */
  artifactPath: string | null;
}

export interface DefinitionHistory {
  definition: string;
  directory: string;
  /** Succeeded runs whose artifact is in place, newest first. */
  artifacts: ArtifactRecord[];
  /** Failed runs, newest first. */
  failures: ArtifactRecord[];
  leftovers: string[];
}

export async function readHistory(definition: Pick<BackupDefinition, 'name' | 'directory'>): Promise<DefinitionHistory> {
  const history: DefinitionHistory = { definition: definition.name, directory: definition.directory, artifacts: [], failures: [], leftovers: [] };
  let names: string[];
  try {
    names = await readdir(definition.directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return history;
    throw error;
  }
  const present = new Set(names);
  for (const name of names.sort()) {
    const kind = classifyFile(definition.name, name);
    const path = join(definition.directory, name);
    if (kind === 'partial') history.leftovers.push(path);
    if (kind === 'artifact' && !present.has(`${name}.json`)) history.leftovers.push(path);
    if (kind !== 'manifest' && kind !== 'failure') continue;
    const manifest = await readManifest(path);
    if (manifest === null) {
      history.leftovers.push(path);
    } else if (kind === 'failure' || manifest.status === 'failed') {
      history.failures.push({ manifest, manifestPath: path, artifactPath: null });
    } else if (manifest.artifact !== null && present.has(manifest.artifact) && (await isFile(join(definition.directory, manifest.artifact)))) {
      history.artifacts.push({ manifest, manifestPath: path, artifactPath: join(definition.directory, manifest.artifact) });
    } else {
      history.leftovers.push(path);
    }
  }
  const newestFirst = (left: ArtifactRecord, right: ArtifactRecord) => right.manifest.startedAt.localeCompare(left.manifest.startedAt) || right.manifestPath.localeCompare(left.manifestPath);
  history.artifacts.sort(newestFirst);
  history.failures.sort(newestFirst);
  return history;
}

async function readManifest(path: string): Promise<ArtifactManifest | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as ArtifactManifest;
    return parsed.formatVersion === 1 ? parsed : null;
  } catch {
    return null;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The newest run of either kind, or null. */
export function newestRun(history: DefinitionHistory): ArtifactRecord | null {
  const candidates = [history.artifacts[0], history.failures[0]].filter((record): record is ArtifactRecord => record !== undefined);
  candidates.sort((left, right) => right.manifest.startedAt.localeCompare(left.manifest.startedAt));
  return candidates[0] ?? null;
}
