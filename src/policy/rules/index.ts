import type { Rule } from '../rule.js';
import { RULE_IDS } from '../rule-ids.js';
import { healthcheckRequired } from './healthcheck.js';
import { logRotationRequired } from './log-rotation.js';
import { noHostNamespaces } from './host-namespaces.js';
import { memoryLimitRequired } from './memory-limit.js';
import { noNewPrivilegesRequired } from './no-new-privileges.js';
import { nonRootUser } from './non-root-user.js';
import { noPrivileged } from './privileged.js';
import { noPublicPorts } from './public-ports.js';
import { noSecretLiterals } from './secret-literals.js';
import { noSensitiveMounts } from './sensitive-mounts.js';

// Every rule, in the order of RULE_IDS (the order findings of one service are reported in).

const ALL: Rule[] = [
  noPrivileged,
  noHostNamespaces,
  noSensitiveMounts,
  noPublicPorts,
  memoryLimitRequired,
  healthcheckRequired,
  noSecretLiterals,
  noNewPrivilegesRequired,
  nonRootUser,
  logRotationRequired,
];

export const RULES: readonly Rule[] = RULE_IDS.map((id) => {
  const rule = ALL.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`policy rule "${id}" has no implementation`);
  return rule;
});
