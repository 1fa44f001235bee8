import type { Project } from '../desired-state/model.js';
import { readBackupIndex, type BackupIndex } from './artifacts/backup-index.js';
import { isLockHeld } from './artifacts/lock.js';
import { resolveBackupDefinitions } from './definitions/resolve.js';
import { backupSchedule, type ScheduleOptions } from './schedule/due.js';

// Per definition, what metrics and `status` show: the last good run (time, duration, size, verified),
// failures since it, and the next run. And which services a run holds right now, so the controller's
// healing leaves alone a service a backup or restore stopped on purpose.

export interface BackupStatus {
  project: string;
  definition: string;
  service: string;
  lastSuccessAt: string | null;
  lastDurationMs: number | null;
  lastSizeBytes: number | null;
  lastVerified: boolean | null;
  /** Failed runs newer than the last good one. */
  failuresSinceSuccess: number;
  lastError: string | null;
  nextRunAt: string | null;
}

export function backupStatusOf(project: Project, index: BackupIndex, now: Date, options: ScheduleOptions = {}): BackupStatus[] {
  const scheduled = new Map(backupSchedule(project, index, now, options).map((entry) => [entry.definition.name, entry]));
  return resolveBackupDefinitions(project, options).definitions.map((definition) => {
    const history = index.histories[definition.name];
    const last = history?.artifacts[0]?.manifest ?? null;
    const failures = (history?.failures ?? []).filter((failure) => last === null || failure.manifest.startedAt > last.startedAt);
    const next = scheduled.get(definition.name);
    return {
      project: project.name,
      definition: definition.name,
      service: definition.service,
      lastSuccessAt: last?.finishedAt ?? null,
      lastDurationMs: last?.durationMs ?? null,
      lastSizeBytes: last?.size ?? null,
      lastVerified: last?.verification?.ok ?? null,
      failuresSinceSuccess: failures.length,
      lastError: failures[0]?.manifest.error ?? null,
      nextRunAt: next ? (next.due ? now : next.runAt).toISOString() : null,
    };
  });
}

/** Services of the project whose backup definitions are held by a live run right now. */
export async function servicesUnderBackup(project: Project, options: ScheduleOptions = {}): Promise<Set<string>> {
  const busy = new Set<string>();
  for (const definition of resolveBackupDefinitions(project, options).definitions) {
    if (await isLockHeld(definition.directory, definition.name)) busy.add(definition.service);
  }
  return busy;
}

/** Every project's backups: last success, duration, size, failures since, next run (for /status and drift). */
export async function backupStatuses(projects: readonly Project[], options: { defaultDestination: string }): Promise<BackupStatus[]> {
  const statuses: BackupStatus[] = [];
  for (const project of projects) {
    const { definitions } = resolveBackupDefinitions(project, options);
    if (definitions.length === 0) continue;
    statuses.push(...backupStatusOf(project, await readBackupIndex(definitions), new Date(), options));
  }
  return statuses;
}
