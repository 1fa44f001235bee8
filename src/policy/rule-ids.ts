// The policy rules by id, in the order findings are reported. A leaf module (no imports) so that the
// settings schema in desired-state can name the valid ids without pulling in the rules themselves.

export const RULE_IDS = [
  'no-privileged',
  'no-host-namespaces',
  'no-sensitive-mounts',
  'no-public-ports',
  'memory-limit-required',
  'healthcheck-required',
  'no-secret-literals',
  'no-new-privileges-required',
  'non-root-user',
  'log-rotation-required',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** What a rule is set to in `x-composelet.policy.rules`. */
export const RULE_LEVELS = ['error', 'warn', 'off'] as const;

export type RuleLevel = (typeof RULE_LEVELS)[number];

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}
