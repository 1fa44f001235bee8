import type { Project } from './model.js';

// Each compose file of a loaded project as the loader parsed it, before interpolation (merge keys
// applied): what `no-secret-literals` needs to tell `hunter2` from `${DB_PASSWORD}`. Kept beside the
// project rather than in it (the model stays the interpolated, normalized state), weakly, so it lives
// exactly as long as the project object; a file parsed as several documents is not kept.

const rawDocuments = new WeakMap<Project, ReadonlyMap<string, unknown>>();

export function rememberRawDocuments(project: Project, documents: ReadonlyMap<string, unknown>): void {
  rawDocuments.set(project, documents);
}

/** The file's one document as loaded, or undefined when the loader did not keep it. */
export function rawDocumentOf(project: Project, file: string): unknown {
  return rawDocuments.get(project)?.get(file);
}
