import { COMPOSELET_SETTING_RULES } from './composelet-setting-rules.js';
import { CONTAINER_RULES } from './container-rules.js';
import { NETWORK_RULES } from './network-rules.js';
import { RESTART_AND_LIMIT_RULES } from './restart-and-limit-rules.js';
import { STORAGE_RULES } from './storage-rules.js';
import type { SwarmRule } from './swarm-rule.js';

// Every rule, in the order the README table lists them. Keys are unique (a test checks it, and that the
// README names each one).

export const SWARM_RULES: readonly SwarmRule[] = [
  ...CONTAINER_RULES,
  ...NETWORK_RULES,
  ...STORAGE_RULES,
  ...RESTART_AND_LIMIT_RULES,
  ...COMPOSELET_SETTING_RULES,
];

/** The README's "What a Swarm project cannot do" table, one row per rule. */
export function renderRuleTable(rules: readonly SwarmRule[] = SWARM_RULES): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const rows = rules.map((rule) => `| \`${escape(rule.key)}\` | ${rule.severity} | ${escape(rule.reason)} | ${escape(rule.fix)} |`);
  return ['| key | severity | why | instead |', '|---|---|---|---|', ...rows].join('\n');
}
