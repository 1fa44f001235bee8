import type { z } from 'zod';
import type { HealingSettings } from '../model.js';
import { toBoolean } from '../schema/building-blocks.js';
import type { serviceSettingsSchema } from '../schema/composelet-settings.js';
import { parseDuration } from '../syntax/duration.js';

// Healing settings: the service's `x-composelet.healing` over the project's, over the defaults (restart
// crashes with backoff 10s doubling to 5m, reset after 10m running; restart unhealthy after 30s).

export type RawHealing = NonNullable<z.infer<typeof serviceSettingsSchema>['healing']>;

const SECOND = 1_000_000_000;
export const DEFAULT_HEALING: HealingSettings = {
  enabled: true,
  restartUnhealthy: true,
  unhealthyGracePeriodNs: 30 * SECOND,
  backoff: { initialNs: 10 * SECOND, maxNs: 300 * SECOND, resetAfterNs: 600 * SECOND },
};

function durationNs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.value : undefined;
}

function layer(base: HealingSettings, raw: RawHealing | undefined): HealingSettings {
  if (!raw) return base;
  return {
    enabled: toBoolean(raw.enabled) ?? base.enabled,
    restartUnhealthy: toBoolean(raw.restart_unhealthy) ?? base.restartUnhealthy,
    unhealthyGracePeriodNs: durationNs(raw.unhealthy_grace_period) ?? base.unhealthyGracePeriodNs,
    backoff: {
      initialNs: durationNs(raw.backoff?.initial) ?? base.backoff.initialNs,
      maxNs: durationNs(raw.backoff?.max) ?? base.backoff.maxNs,
      resetAfterNs: durationNs(raw.backoff?.reset_after) ?? base.backoff.resetAfterNs,
    },
  };
}

export function normalizeHealing(project: RawHealing | undefined, service: RawHealing | undefined): HealingSettings {
  return layer(layer(DEFAULT_HEALING, project), service);
}
