import { countFindings, type Finding } from './finding.js';

// Findings as stable text, one line each, for validate, plan, apply and drift:
//
//   warning no-privileged services.api.privileged: runs privileged (...); remove privileged: true and ...
//   error no-public-ports services.db.ports [shop-db-1]: publishes 5432/tcp on ...; bind it to one address ...
//
// `<level> <rule> <path>[ [container]]: <what is wrong>; <how to fix it>`.

export function renderFinding(finding: Finding): string {
  const container = finding.container === null ? '' : ` [${finding.container}]`;
  return `${finding.level} ${finding.ruleId} ${finding.path}${container}: ${finding.message}; ${finding.fix}`;
}

export function renderFindings(findings: readonly Finding[]): string[] {
  return findings.map(renderFinding);
}

/** "policy: 1 error, 2 warnings" (errors block apply). */
export function summarizeFindings(findings: readonly Finding[]): string {
  const { errors, warnings } = countFindings(findings);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `policy: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
