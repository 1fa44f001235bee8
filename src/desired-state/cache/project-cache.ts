import type { ProjectSource } from '../discover.js';
import type { ProjectLoadOptions, ProjectLoadResult } from '../load-project.js';
import { readsUnchanged, type RecordedRead } from './recorded-reads.js';

// The last good load of each project, reused while nothing it was made from has changed: the same compose
// files, options (project name, profiles, home directory, target, secret sources) and environment, and every file
// read, stat and existence check the load made answering the same (recorded-reads.ts: compose, included
// and `extends` files, `.env` layers, env files, --secrets-dir files and their modes, secret and config
// files' existence). A hit costs those reads and no parse, validation, normalization or spec hash; the
// controller and the in-process benchmark load the same project again at every reconcile. Only loads that
// succeeded are kept: a broken manifest is read again each time, so its problems are always current.

export interface ProjectCacheEntry {
  inputs: LoadInputs;
  reads: RecordedRead[];
  result: Extract<ProjectLoadResult, { ok: true }>;
}

interface LoadInputs {
  /** Everything but the environment and the secret sources, as text. */
  settings: string;
  environment: string;
  secrets: ProjectLoadOptions['secrets'];
}

export class ProjectLoadCache {
  private readonly entries = new Map<string, ProjectCacheEntry>();

  /** The kept result when nothing it was made from changed, else null. */
  lookup(source: ProjectSource, options: ProjectLoadOptions): ProjectLoadResult | null {
    const entry = this.entries.get(sourceKey(source));
    if (!entry || !sameInputs(entry.inputs, loadInputsOf(source, options)) || !readsUnchanged(entry.reads)) return null;
    return { ok: true, project: entry.result.project, warnings: [...entry.result.warnings] };
  }

  /** Keeps a successful load (and forgets a failed one's predecessor: the next lookup loads again). */
  store(source: ProjectSource, options: ProjectLoadOptions, result: ProjectLoadResult, reads: RecordedRead[]): void {
    const key = sourceKey(source);
    if (!result.ok) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, { inputs: loadInputsOf(source, options), reads, result: { ...result, warnings: [...result.warnings] } });
  }

  get size(): number {
    return this.entries.size;
  }
}

function sourceKey(source: ProjectSource): string {
  return JSON.stringify([source.workingDir, source.files, source.directoryName]);
}

function loadInputsOf(source: ProjectSource, options: ProjectLoadOptions): LoadInputs {
  return {
    settings: JSON.stringify([sourceKey(source), options.projectName ?? null, options.profiles ?? null, options.homeDir, options.target ?? null]),
    environment: environmentText(options.environment),
    secrets: options.secrets,
  };
}

function sameInputs(left: LoadInputs, right: LoadInputs): boolean {
  return left.settings === right.settings && left.environment === right.environment && left.secrets === right.secrets;
}

/** The environment as text, variables in name order; unset ones left out. */
export function environmentText(environment: Readonly<Record<string, string | undefined>>): string {
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(environment)) if (value !== undefined) entries.push([name, value]);
  entries.sort((left, right) => (left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0));
  return JSON.stringify(entries);
}
