import { backupStatusOf, readBackupIndex, resolveBackupDefinitions, type BackupStatus } from '../backup/index.js';
import type { Project } from '../desired-state/model.js';

/** Every project's backups: last success, duration, size, failures since, next run (for /status). */
export async function backupStatuses(projects: readonly Project[], options: { defaultDestination: string }): Promise<BackupStatus[]> {
  const statuses: BackupStatus[] = [];
  for (const project of projects) {
    const { definitions } = resolveBackupDefinitions(project, options);
    if (definitions.length === 0) continue;
    statuses.push(...backupStatusOf(project, await readBackupIndex(definitions), new Date(), options));
  }
  return statuses;
}
