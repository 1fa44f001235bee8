import type { CronExpression } from '../schedule/cron-expression.js';

// A backup definition as the rest of backups reads it: presets applied, defaults filled, paths absolute,
// the volume resolved to its engine name. One per `x-composelet.backup` and per `x-composelet.backups`
// entry.

export type BackupStrategy = 'exec' | 'redis' | 'volume' | 'files';

export type BackupSchedule =
  | { kind: 'cron'; text: string; expression: CronExpression; timeZone: string }
  | { kind: 'interval'; text: string; everyMs: number };

export interface RetentionPolicy {
  keepLast: number;
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
}

export interface BackupDefinition {
  projectName: string;
  /** Unique in the project: the key under `x-composelet.backups`, or the service's name for a
   * service's own `x-composelet.backup`. Artifact names start with it. */
  name: string;
  service: string;
  /** Where it was written: `services.<service>.x-composelet.backup` or `x-composelet.backups.<name>`. */
  origin: 'service' | 'project';
  preset: 'postgres' | 'redis' | null;
  strategy: BackupStrategy;
  /** exec: argv in the container (a string in the manifest becomes `sh -c STRING`). */
  command: string[] | null;
  restoreCommand: string[] | null;
  verifyCommand: string[] | null;
  user: string | null;
  /** Extension before the compression suffix: `dump`, `pgdump`, `rdb`, `tar`. */
  extension: string;
  /** files: the paths to copy; redis: the RDB file when given (else asked from redis). */
  paths: string[];
  /** volume: the volume's key in the manifest and its engine name. */
  volume: { key: string; name: string } | null;
  helperImage: string | null;
  stopService: boolean;
  schedule: BackupSchedule | null;
  /** null: keep every backup. */
  retention: RetentionPolicy | null;
  /** Absolute root of the artifacts. */
  destination: string;
  /** Absolute: `<destination>/<project>/<service>`. */
  directory: string;
  compress: 'gzip' | 'none';
  pre: string[][];
  post: string[][];
  beforeRecreate: boolean;
  timeoutMs: number;
  /** SHA-256 of the definition's canonical JSON, recorded in each artifact's manifest. */
  definitionHash: string;
}

export const DEFAULT_BACKUP_DESTINATION = '/var/lib/composelet/backups';
export const DEFAULT_TIMEOUT_MS = 3_600_000;
