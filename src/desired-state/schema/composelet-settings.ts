import { parseDuration } from '../syntax/duration.js';
import { parseByteSize } from '../syntax/byte-size.js';
import { parseScheduleExpression } from '../../operations/schedule-expression.js';
import { z } from 'zod';
import { booleanLike, byShape, composeObject, integerLike, parsedWith } from './building-blocks.js';
import { projectBackupsSchema, serviceBackupSchema } from './backup-settings.js';
import { policySettingsSchema } from './policy-settings.js';
import { loggingSchema } from './logging.js';

// composelet's own settings, under `x-composelet` at project and service level. Validated like the rest
// of the file (unknown keys are errors with a suggestion); sections later issues fill (backup, policy)
// are accepted as written until then.

const duration = parsedWith(parseDuration, 'a duration such as "10s" or "5m"');

export const healingShape = {
  /** Restart crashed, killed, stopped or removed containers (default true). */
  enabled: booleanLike,
  /** Restart a container whose healthcheck reports unhealthy (default true). */
  restart_unhealthy: booleanLike,
  /** How long a container must stay unhealthy before it is restarted (default 30s). */
  unhealthy_grace_period: duration,
  backoff: composeObject({
    /** Delay before the second restart of a crash loop; doubles after each (default 10s). */
    initial: duration,
    /** Cap of the delay (default 5m). */
    max: duration,
    /** Running this long ends a crash loop (default 10m). */
    reset_after: duration,
  }),
};

/** `x-composelet.rollout`: deploy.update_config's keys, over the service's update_config (project, then service). */
export const rolloutShape = {
  order: z.enum(['stop-first', 'start-first']),
  /** How long a replacement must stay running (and healthy) before the old container goes. */
  monitor: duration,
  failure_action: z.enum(['rollback', 'continue']),
  parallelism: integerLike,
  delay: duration,
  max_failure_ratio: byShape(
    { number: z.number().min(0).max(1), string: z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'expected a ratio between 0 and 1') },
    'a ratio between 0 and 1',
  ),
};

/** `x-composelet.gc`: the controller runs `gc --yes` on `schedule`; `build_cache.keep` prunes the engine's build cache down to that size. */
export const gcShape = {
  schedule: z.string().superRefine((value, context) => {
    const parsed = parseScheduleExpression(value);
    if (!parsed.ok) context.addIssue({ code: 'custom', message: `invalid cron expression: ${parsed.error}` });
  }),
  build_cache: composeObject({ keep: parsedWith(parseByteSize, 'a size such as "2GB" or "512m"') }),
};

export const serviceSettingsSchema = composeObject({
  healing: composeObject(healingShape),
  rollout: composeObject(rolloutShape),
  backup: serviceBackupSchema,
  policy: policySettingsSchema,
});

export const projectSettingsSchema = composeObject({
  healing: composeObject(healingShape),
  rollout: composeObject(rolloutShape),
  prune: booleanLike,
  /** Take the project over from docker compose (its compose-made containers) without `--adopt`. */
  adopt: booleanLike,
  backups: projectBackupsSchema,
  policy: policySettingsSchema,
  /** The `logging` of every service that sets none of its own (e.g. json-file with max-size and max-file). */
  logging: loggingSchema,
  gc: composeObject(gcShape),
  /** Where the project runs: one engine (default), or the Swarm cluster the engine is a manager of. */
  target: z.enum(['engine', 'swarm']),
});
