import { readComposeFile } from '../../desired-state/load-file.js';
import { compareIssues, formatIssue } from '../../desired-state/manifest-issue.js';
import type { Project } from '../../desired-state/model.js';
import { createLocator, type YamlSource } from '../../desired-state/yaml/yaml-source.js';
import type { ManifestPath, SwarmFinding, SwarmRule } from './swarm-rule.js';
import { SWARM_RULES } from './swarm-rules.js';

// `validate --target swarm` and the check before `apply --target swarm`: every rule on the project, each
// finding located in the compose files (the last file that writes the key, as the merge reads them).

export function validateForSwarm(project: Project, options: { rules?: readonly SwarmRule[] } = {}): SwarmFinding[] {
  const locate = createLocator(composeSources(project));
  const findings: SwarmFinding[] = [];
  const add = (rule: SwarmRule, path: ManifestPath) =>
    findings.push({ ...locate(path, rule.reason), rule: rule.key, severity: rule.severity, fix: rule.fix });
  for (const rule of options.rules ?? SWARM_RULES) {
    if (rule.scope === 'project') {
      for (const path of rule.check(project)) add(rule, path);
      continue;
    }
    for (const service of Object.values(project.services)) {
      for (const path of rule.check(service, project)) add(rule, path);
    }
  }
  return findings.sort(compareIssues);
}

export function swarmBlocks(findings: readonly SwarmFinding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

/** FILE:LINE:COLUMN: PATH: error: REASON; instead: FIX */
export function formatSwarmFinding(finding: SwarmFinding): string {
  return formatIssue({ ...finding, message: `${finding.severity}: ${finding.message}; instead: ${finding.fix}` });
}

/** "swarm: 1 error, 2 warnings (errors block apply)" */
export function summarizeSwarmFindings(projectName: string, findings: readonly SwarmFinding[]): string {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.length - errors;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `project ${projectName} on Swarm: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${errors > 0 ? ' (errors block apply)' : ''}`;
}

/** The project's compose files (and the YAML files it includes or extends), parsed again for positions. */
function composeSources(project: Project): YamlSource[] {
  const files = [...project.referencedFiles.filter((file) => /\.ya?ml$/i.test(file) && !project.configFiles.includes(file)), ...project.configFiles];
  return files.flatMap((file) => readComposeFile(file).sources);
}
