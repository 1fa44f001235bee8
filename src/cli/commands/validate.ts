import { formatIssue } from '../../desired-state/manifest-issue.js';
import type { DesiredState } from '../../desired-state/model.js';
import { write, type Command } from '../command.js';
import { loadFromOptions, MANIFEST_OPTIONS_HELP, manifestOptions, printWarnings } from '../manifest-options.js';
import { policyBlocks } from '../../policy/index.js';
import { policyFindings, printPolicy } from '../policy-report.js';

// `composelet validate PATH`: the projects, services and dependency levels, or every problem at once.

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check manifests and print their projects, services and dependency levels',
  help: `Usage: composelet validate PATH [options]

Loads PATH (a compose file, a project directory, or a manifests root whose subdirectories are projects),
validates it and prints each project's services in dependency levels, then the policy findings (rules
set in x-composelet.policy; by default every rule only warns). On problems, prints every one of them as
FILE:LINE:COLUMN: PATH: CAUSE and exits 1; a policy error also exits 1. Nothing touches the engine.

Options:
${MANIFEST_OPTIONS_HELP}
      --json               print the summary (or the problems) as JSON
  -h, --help               show this help`,
  options: { ...manifestOptions, json: { type: 'boolean' } },
  async run(input, io) {
    const { path, result } = loadFromOptions(input, io);
    const findings = result.ok ? policyFindings(result.state) : [];
    if (input.values.json) {
      const body = result.ok
        ? { ok: !policyBlocks(findings), projects: summarize(result.state), policy: findings, warnings: result.warnings }
        : { ok: false, issues: result.issues, warnings: result.warnings };
      write(io.stdout, JSON.stringify(body, null, 2));
      return result.ok && !policyBlocks(findings) ? 0 : 1;
    }
    printWarnings(result.warnings, io);
    if (!result.ok) {
      write(io.stderr, `${path}: ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}`);
      for (const issue of result.issues) write(io.stderr, formatIssue(issue));
      return 1;
    }
    write(io.stdout, renderSummary(path, result.state));
    return printPolicy(findings, io) ? 1 : 0;
  },
};

export function summarize(state: DesiredState) {
  return state.projects.map((project) => ({
    name: project.name,
    workingDir: project.workingDir,
    configFiles: project.configFiles,
    services: Object.keys(project.services),
    inactiveServices: project.inactiveServices,
    levels: project.graph.levels,
    networks: Object.values(project.networks).map((network) => network.name),
    volumes: Object.values(project.volumes).map((volume) => volume.name),
  }));
}

export function renderSummary(path: string, state: DesiredState): string {
  const serviceCount = state.projects.reduce((total, project) => total + Object.keys(project.services).length, 0);
  const lines = [
    `${path}: valid, ${state.projects.length} project${state.projects.length === 1 ? '' : 's'}, ${serviceCount} service${serviceCount === 1 ? '' : 's'}`,
  ];
  for (const project of state.projects) {
    lines.push('', `project ${project.name} (${project.configFiles.join(', ')})`);
    const inactive = project.inactiveServices.length > 0 ? `; inactive by profile: ${project.inactiveServices.join(', ')}` : '';
    lines.push(`  ${Object.keys(project.services).length} services${inactive}`);
    project.graph.levels.forEach((level, index) => lines.push(`  level ${index}: ${level.join(', ')}`));
    const networks = Object.values(project.networks).map((network) => network.name);
    const volumes = Object.values(project.volumes).map((volume) => volume.name);
    if (networks.length > 0) lines.push(`  networks: ${networks.join(', ')}`);
    if (volumes.length > 0) lines.push(`  volumes: ${volumes.join(', ')}`);
  }
  return lines.join('\n');
}
