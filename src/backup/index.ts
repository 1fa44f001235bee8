// Backups as reconciled resources: what the rest of composelet (apply, the controller, the CLI) uses.

export { createBackupEngine, type BackupEngine, type CommandResult, type ContainerIo, type ExecOptions, type ThrowawayOptions } from './backup-engine.js';
export type { BackupDefinition, BackupSchedule, BackupStrategy, RetentionPolicy } from './definitions/definition.js';
export { DEFAULT_BACKUP_DESTINATION } from './definitions/definition.js';
export { backupDefinitionsOf, resolveBackupDefinitions, type DefinitionProblem, type ResolveOptions } from './definitions/resolve.js';
export { runBackup, type BackupResult, type RunBackupOptions } from './run-backup.js';
export { backupBeforeRecreate, type PreRecreateOutcome, type PreRecreateOptions } from './before-recreate.js';
export { backupSchedule, dueBackups, jitterMs, nextRunAt, type ScheduledBackup, type ScheduleOptions } from './schedule/due.js';
export { readBackupIndex, type BackupIndex } from './artifacts/backup-index.js';
export { readHistory, newestRun, type ArtifactRecord, type DefinitionHistory } from './artifacts/history.js';
export type { ArtifactManifest, VerificationRecord, VerificationCheck } from './artifacts/manifest.js';
export { verifyArtifact, type VerifyOptions } from './verify/verify-artifact.js';
export { restoreBackup, type RestoreOptions, type RestoreResult } from './restore/restore-backup.js';
export { planRetention, type RetentionCandidate, type RetentionDecision } from './retention/retention-policy.js';
export { applyRetention, type RetentionOutcome } from './retention/apply-retention.js';
export { backupStatusOf, backupStatuses, servicesUnderBackup, type BackupStatus } from './backup-status.js';
export { leftOverReason, sweepHelperContainers, type SweptHelper } from './helper-sweep.js';
