import { parseDuration } from '../syntax/duration.js';
import { booleanLike, composeObject, parsedWith } from './building-blocks.js';
import { projectBackupsSchema, serviceBackupSchema } from './backup-settings.js';
import { policySettingsSchema } from './policy-settings.js';

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

export const serviceSettingsSchema = composeObject({
  healing: composeObject(healingShape),
  backup: serviceBackupSchema,
  policy: policySettingsSchema,
});

export const projectSettingsSchema = composeObject({
  healing: composeObject(healingShape),
  prune: booleanLike,
  /** Take the project over from docker compose (its compose-made containers) without `--adopt`. */
  adopt: booleanLike,
  backups: projectBackupsSchema,
  policy: policySettingsSchema,
});
