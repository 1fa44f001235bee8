import type { RuleId } from './rule-ids.js';

// A policy finding: one rule broken by one service (desired state) or one container (live state), with
// the level its settings give it, what is wrong and how to fix it. Messages name keys, paths and ports,
// never an environment value.

export type FindingLevel = 'error' | 'warning';

export interface Finding {
  ruleId: RuleId;
  level: FindingLevel;
  /** The service; for a live container without a compose service label, the container's name. */
  service: string;
  /** Live findings: the container checked. Desired-state findings: null. */
  container: string | null;
  /** What is wrong, in words. */
  message: string;
  /** How to fix it (or to allow it on purpose). */
  fix: string;
  /** Where in the manifest: `services.api.privileged`, `services.api.environment.DB_PASSWORD`. */
  path: string;
}

/** Errors block apply; warnings are shown. */
export function policyBlocks(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.level === 'error');
}

export function countFindings(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((finding) => finding.level === 'error').length;
  return { errors, warnings: findings.length - errors };
}
