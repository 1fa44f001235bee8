import type { ArtifactManifest } from '../backup/artifacts/manifest.js';
import type { BackupDay } from './model.js';

// Per backup definition, what happened within the period: runs made (and verified), failed, missed, and
// the bytes made. Pure: the definition's history and its first scheduled time in the period come in.

export interface DefinitionDay {
  project: string;
  definition: string;
  service: string;
  succeeded: readonly Pick<ArtifactManifest, 'finishedAt' | 'size' | 'verification'>[];
  failed: readonly Pick<ArtifactManifest, 'finishedAt' | 'error'>[];
  /** The first time the schedule called for a run after the period's start (epoch ms); null: no schedule. */
  firstScheduledAt: number | null;
}

/** A scheduled run is missed when its time is this long past and nothing ran (the controller adds jitter). */
export const MISSED_AFTER_MS = 5 * 60 * 1000;

export function summarizeBackup(day: DefinitionDay, period: { since: number; until: number }): BackupDay {
  const within = (time: string) => {
    const at = Date.parse(time);
    return at >= period.since && at <= period.until;
  };
  const made = day.succeeded.filter((manifest) => within(manifest.finishedAt));
  const failed = day.failed.filter((manifest) => within(manifest.finishedAt)).sort((left, right) => right.finishedAt.localeCompare(left.finishedAt));
  const missed = made.length === 0 && failed.length === 0 && day.firstScheduledAt !== null && day.firstScheduledAt + MISSED_AFTER_MS <= period.until ? 1 : 0;
  return {
    project: day.project,
    definition: day.definition,
    service: day.service,
    made: made.length,
    verified: made.filter((manifest) => manifest.verification?.ok === true).length,
    failed: failed.length,
    missed,
    sizeBytes: made.reduce((total, manifest) => total + (manifest.size ?? 0), 0),
    lastError: failed[0]?.error ?? null,
  };
}
