import type { Project } from '../desired-state/model.js';
import type { ContainerInspect } from '../engine/engine-port.js';
import { subjectFromService } from './desired-subject.js';
import type { Finding } from './finding.js';
import { readLiteralEnvironment, type LiteralEnvironment } from './literal-environment.js';
import { subjectFromInspect } from './live-subject.js';
import { RULE_IDS } from './rule-ids.js';
import { RULES } from './rules/index.js';
import { effectivePolicy } from './settings.js';
import type { PolicySubject } from './subject.js';

// Policy on desired state (validate, plan, apply) and on live state (drift): every rule on every service
// or container, at the level its settings give it (rules set off are skipped). Findings come sorted by
// service, container, rule order, then path, so reports and tests compare stable text.

export interface DesiredPolicyOptions {
  /** Which environment values are literal in the compose files; read from `project.configFiles` when
   * not given. null (or files that cannot be read again): every key not from an env_file counts as
   * literal, the safe side for a check that only warns by default. */
  literalEnvironment?: LiteralEnvironment | null;
}

export function evaluatePolicy(project: Project, options: DesiredPolicyOptions = {}): Finding[] {
  const literal = options.literalEnvironment === undefined ? readLiteralEnvironment(project) : options.literalEnvironment;
  const findings: Finding[] = [];
  for (const service of Object.values(project.services)) {
    const fromFiles = new Set(service.environmentFromFiles);
    const literalKeys = literal?.[service.name] ?? Object.keys(service.environment).filter((key) => !fromFiles.has(key));
    findings.push(...evaluateSubject(project, subjectFromService(service, literalKeys)));
  }
  return sortFindings(findings);
}

/** The same rules on what the engine runs (`no-secret-literals` does not apply there). Containers of a
 * service the manifests no longer hold are checked with the project's settings. */
export function evaluateLivePolicy(project: Project, inspects: readonly ContainerInspect[]): Finding[] {
  return sortFindings(inspects.flatMap((inspect) => evaluateSubject(project, subjectFromInspect(inspect))));
}

function evaluateSubject(project: Project, subject: PolicySubject): Finding[] {
  const policy = effectivePolicy(project, subject.service);
  const name = subject.service ?? subject.container ?? '';
  const base = subject.service === null ? `containers.${name}` : `services.${name}`;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of RULES) {
    const level = policy.levels[rule.id];
    if (level === 'off') continue;
    for (const violation of rule.check(subject, { allowPublicPorts: policy.allowPublicPorts })) {
      const path = violation.field === '' ? base : `${base}.${violation.field}`;
      // The engine lists a port bound on every interface once per address family: one finding is enough.
      const key = `${rule.id}\u0000${path}\u0000${violation.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        ruleId: rule.id,
        level: level === 'error' ? 'error' : 'warning',
        service: name,
        container: subject.container,
        message: violation.message,
        fix: violation.fix,
        path,
      });
    }
  }
  return findings;
}

const RULE_ORDER = new Map(RULE_IDS.map((id, index) => [id, index]));

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (left, right) =>
      compareText(left.service, right.service) ||
      compareText(left.container ?? '', right.container ?? '') ||
      (RULE_ORDER.get(left.ruleId) ?? 0) - (RULE_ORDER.get(right.ruleId) ?? 0) ||
      compareText(left.path, right.path) ||
      compareText(left.message, right.message),
  );
}
