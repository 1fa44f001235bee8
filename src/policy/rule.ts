import type { RuleId } from './rule-ids.js';
import type { PolicySubject } from './subject.js';

// A policy rule: an id, one line on what it guards against, and a check that turns a subject into
// violations. Checks are pure; levels (error, warn, off) and paths are applied by evaluate.ts.

export interface Violation {
  /** Path below the service: 'privileged', 'ports', 'environment.DB_PASSWORD'. */
  field: string;
  message: string;
  fix: string;
}

export interface RuleContext {
  /** Host ports that may be published on every interface (`x-composelet.policy.allow_public_ports`). */
  allowPublicPorts: ReadonlySet<number>;
}

export interface Rule {
  id: RuleId;
  summary: string;
  check(subject: PolicySubject, context: RuleContext): Violation[];
}
