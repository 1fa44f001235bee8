import type { Project } from '../desired-state/model.js';
import { policySettingsSchema, type RawPolicySettings } from '../desired-state/schema/policy-settings.js';
import { RULE_IDS, type RuleId, type RuleLevel } from './rule-ids.js';

// The policy one service is checked with: each rule's level from the service's `x-composelet.policy`,
// over the project's, over the default (warn, so an existing compose file keeps working until an operator
// raises a rule to error). `allow_public_ports` of the service, when given, replaces the project's list.

export interface EffectivePolicy {
  levels: Record<RuleId, RuleLevel>;
  allowPublicPorts: ReadonlySet<number>;
}

export const DEFAULT_LEVEL: RuleLevel = 'warn';

/** The settings as validated by the loader; parsed again here for their types (the model keeps them raw). */
function policySettingsOf(composelet: Record<string, unknown>): RawPolicySettings {
  const parsed = policySettingsSchema.safeParse(composelet.policy ?? {});
  return parsed.success ? parsed.data : {};
}

/** `serviceName` null (or not in the project): the project's settings alone. */
export function effectivePolicy(project: Project, serviceName: string | null): EffectivePolicy {
  const projectSettings = policySettingsOf(project.composelet);
  const service = serviceName === null ? undefined : project.services[serviceName];
  const serviceSettings = service ? policySettingsOf(service.composelet) : {};
  const levels = Object.fromEntries(
    RULE_IDS.map((id) => [id, serviceSettings.rules?.[id] ?? projectSettings.rules?.[id] ?? DEFAULT_LEVEL]),
  ) as Record<RuleId, RuleLevel>;
  const allowed = serviceSettings.allow_public_ports ?? projectSettings.allow_public_ports ?? [];
  return { levels, allowPublicPorts: new Set(allowed) };
}
