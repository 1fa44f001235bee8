import { z } from 'zod';
import { parseCron } from '../../backup/schedule/cron-expression.js';
import { isValidTimeZone } from '../../backup/schedule/time-zone.js';
import { parseDuration } from '../syntax/duration.js';
import { booleanLike, byShape, composeObject, integerLike, parsedWith, toInteger } from './building-blocks.js';

// `x-composelet.backup` (one definition for the service it sits on) and `x-composelet.backups` (named
// definitions at project level, each naming its `service`). Validation only: the model keeps the values
// as written and src/backup/definitions turns them into BackupDefinitions (presets filled in).
//
//   x-composelet:
//     backup: { preset: postgres }             # the common case
//     backup:
//       strategy: exec | redis | volume | files
//       command: pg_dumpall -U postgres        # exec: stdout becomes the artifact
//       schedule: "0 3 * * *"                  # or { cron, timezone } or { every: 6h }
//       retention: { keep_last: 3, keep_daily: 7, keep_weekly: 4, keep_monthly: 6 }

export const BACKUP_STRATEGIES = ['exec', 'redis', 'volume', 'files'] as const;
export const BACKUP_PRESETS = ['postgres', 'redis'] as const;

const duration = parsedWith(parseDuration, 'a duration such as "6h" or "30m"');

const command = byShape(
  { string: z.string().min(1, 'must not be empty'), array: z.array(z.string()).min(1, 'must not be empty') },
  'a command: a string (run with sh -c) or a list of words',
);

const count = integerLike.superRefine((value, context) => {
  if ((toInteger(value as string | number) ?? 0) < 0) context.addIssue({ code: 'custom', message: 'must not be negative' });
});

const cronText = z.string().superRefine((value, context) => {
  const parsed = parseCron(value);
  if (!parsed.ok) context.addIssue({ code: 'custom', message: `invalid cron expression: ${parsed.error}` });
});

const timeZone = z.string().superRefine((value, context) => {
  if (!isValidTimeZone(value)) context.addIssue({ code: 'custom', message: `unknown time zone "${value}" (use an IANA name such as "Europe/Berlin" or "UTC")` });
});

const scheduleMap = composeObject({ cron: cronText, timezone: timeZone, every: duration }).superRefine((value, context) => {
  const schedule = value as { cron?: unknown; timezone?: unknown; every?: unknown };
  if ((schedule.cron === undefined) === (schedule.every === undefined)) {
    context.addIssue({ code: 'custom', message: 'set exactly one of "cron" and "every"' });
  }
  if (schedule.timezone !== undefined && schedule.cron === undefined) {
    context.addIssue({ code: 'custom', path: ['timezone'], message: '"timezone" applies to "cron" schedules only' });
  }
  if (schedule.every !== undefined) {
    const every = parseDuration(schedule.every as string | number);
    if (every.ok && every.value < 60_000_000_000) context.addIssue({ code: 'custom', path: ['every'], message: 'must be at least 1m' });
  }
});

const schedule = byShape({ string: cronText, object: scheduleMap }, 'a cron expression or a map with "cron" (and "timezone") or "every"');

const retention = composeObject({ keep_last: count, keep_daily: count, keep_weekly: count, keep_monthly: count }).superRefine((value, context) => {
  const total = Object.values(value as Record<string, string | number | undefined>).reduce<number>((sum, entry) => sum + (toInteger(entry) ?? 0), 0);
  if (total === 0) {
    context.addIssue({
      code: 'custom',
      message: 'an empty retention policy would keep nothing: set keep_last, keep_daily, keep_weekly or keep_monthly above 0, or remove retention to keep every backup',
    });
  }
});

export const backupShape = {
  /** postgres (pg_dump -Fc through exec) or redis (BGSAVE and copy of the RDB file). */
  preset: z.enum(BACKUP_PRESETS),
  strategy: z.enum(BACKUP_STRATEGIES),
  /** exec: the command whose stdout is the artifact. */
  command,
  /** exec: the command that reads an artifact on stdin to restore it in the running service. */
  restore_command: command,
  /** exec: a command run in a throwaway container of the service's image that reads the artifact on
   * stdin and exits 0 when it is readable (pg_restore --list). */
  verify_command: command,
  /** exec: user to run the commands as (default: the container's). */
  user: z.string().min(1),
  /** The artifact's extension before .gz (default: dump, rdb or tar by strategy). */
  extension: z.string().regex(/^[a-z0-9][a-z0-9.]*$/, 'use lower-case letters, digits and dots'),
  /** files: absolute paths inside the container; redis: the RDB file (default: asked from redis). */
  paths: z.array(z.string().refine((path) => path.startsWith('/'), 'must be an absolute path')).min(1, 'must not be empty'),
  /** volume: the volume's key under the top-level `volumes:` (default: the service's only named volume). */
  volume: z.string().min(1),
  /** volume: the image of the throwaway container that reads and writes the volume (default: the service's). */
  helper_image: z.string().min(1),
  /** volume, files: stop the service during the copy, restarting what was running. */
  stop_service: booleanLike,
  schedule,
  retention,
  /** Directory of the artifacts, relative to the project directory (default $COMPOSELET_BACKUP_DIR or
   * /var/lib/composelet/backups); artifacts go under <destination>/<project>/<service>/. */
  destination: z.string().min(1),
  compress: z.enum(['gzip', 'none']),
  /** Commands run in the service's container before and after the backup. */
  pre: z.array(command),
  post: z.array(command),
  /** Take a backup before apply or the controller recreates the service (default true). */
  before_recreate: booleanLike,
  /** How long one run may take (default 1h). */
  timeout: duration,
};

type RawBackupFields = Partial<Record<keyof typeof backupShape, unknown>>;

const PRESET_STRATEGY = { postgres: 'exec', redis: 'redis' } as const;
const STRATEGY_KEYS: Record<string, ReadonlyArray<keyof typeof backupShape>> = {
  exec: ['command', 'restore_command', 'verify_command', 'user'],
  redis: ['paths'],
  volume: ['volume', 'helper_image', 'stop_service'],
  files: ['paths', 'stop_service'],
};
const STRATEGY_SPECIFIC = new Set(Object.values(STRATEGY_KEYS).flat());

/** Checks across keys: a strategy or a preset, what each strategy needs, keys that do not apply. */
function checkDefinition(value: unknown, context: z.core.$RefinementCtx): void {
  const raw = value as RawBackupFields;
  const preset = raw.preset as keyof typeof PRESET_STRATEGY | undefined;
  const presetStrategy = preset ? PRESET_STRATEGY[preset] : undefined;
  if (preset && raw.strategy !== undefined && raw.strategy !== presetStrategy) {
    context.addIssue({ code: 'custom', path: ['strategy'], message: `preset "${preset}" uses strategy "${presetStrategy}"` });
    return;
  }
  const strategy = (raw.strategy as string | undefined) ?? presetStrategy;
  if (strategy === undefined) {
    context.addIssue({ code: 'custom', message: 'set "preset" (postgres or redis) or "strategy" (exec, redis, volume or files)' });
    return;
  }
  if (strategy === 'exec' && !preset && raw.command === undefined) {
    context.addIssue({ code: 'custom', message: 'strategy "exec" needs a "command" whose output is the backup' });
  }
  if (strategy === 'files' && raw.paths === undefined) {
    context.addIssue({ code: 'custom', message: 'strategy "files" needs "paths" (absolute paths inside the container)' });
  }
  for (const key of STRATEGY_SPECIFIC) {
    if (raw[key] !== undefined && !STRATEGY_KEYS[strategy]!.includes(key)) {
      context.addIssue({ code: 'custom', path: [key], message: `"${key}" does not apply to strategy "${strategy}"` });
    }
  }
}

const definitionOptions = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) };

export const serviceBackupSchema = composeObject(backupShape).superRefine(checkDefinition, definitionOptions);

export const projectBackupSchema = composeObject({ service: z.string().min(1), ...backupShape }).superRefine((value, context) => {
  if ((value as { service?: unknown }).service === undefined) context.addIssue({ code: 'custom', message: 'set "service": the service this backup is taken from' });
  checkDefinition(value, context);
}, definitionOptions);

export const BACKUP_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export const projectBackupsSchema = z.record(
  z.string().regex(BACKUP_NAME_PATTERN, 'a backup name uses letters, digits, ".", "_" and "-", starting with a letter or digit'),
  projectBackupSchema,
);

export type RawServiceBackup = z.infer<typeof serviceBackupSchema>;
export type RawProjectBackup = z.infer<typeof projectBackupSchema>;
