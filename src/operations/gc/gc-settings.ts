import type { Project } from '../../desired-state/model.js';
import { parseByteSize } from '../../desired-state/syntax/byte-size.js';

// `x-composelet.gc` of a project, read from the settings as written (the schema has validated them):
//   x-composelet:
//     gc:
//       schedule: "0 3 * * 5"        # the controller runs gc --yes then (never volumes)
//       build_cache: { keep: 2GB }   # gc prunes the engine's build cache down to this size

export interface GcSettings {
  schedule: string | null;
  buildCacheKeepBytes: number | null;
}

export function gcSettings(project: Project): GcSettings {
  const gc = (project.composelet['gc'] ?? {}) as { schedule?: string; build_cache?: { keep?: string | number } };
  const keep = gc.build_cache?.keep;
  const parsed = keep === undefined ? null : parseByteSize(keep);
  return {
    schedule: gc.schedule === undefined ? null : gc.schedule.trim().split(/\s+/).join(' '),
    buildCacheKeepBytes: parsed?.ok ? parsed.value : null,
  };
}

/** The build cache is the engine's, shared by every project: with several limits the largest wins, so
 * gc never removes more than any project asked for. Null: no project set one, the cache is not pruned. */
export function buildCacheKeepOf(keeps: ReadonlyArray<number | null>): number | null {
  const set = keeps.filter((keep): keep is number => keep !== null);
  return set.length === 0 ? null : Math.max(...set);
}
