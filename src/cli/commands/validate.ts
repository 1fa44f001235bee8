import { formatIssue } from '../../desired-state/manifest-issue.js';
import type { DesiredState } from '../../desired-state/model.js';
import { write, type Command } from '../command.js';
import { loadFromOptions, MANIFEST_OPTIONS_HELP, manifestOptions, printWarnings } from '../manifest-options.js';
import { policyBlocks } from '../../policy/index.js';
import { policyFindings, printPolicy } from '../policy-report.js';
import { UsageError } from '../../errors/kinds.js';
import { parseTarget } from '../../swarm/target.js';
import { warningsToPrint } from '../../swarm/validate/one-host-warnings.js';
import { printSwarmFindings, swarmFindingsOf, swarmProjectsOf } from '../../swarm/validate/swarm-report.js';
import { swarmBlocks } from '../../swarm/validate/validate-swarm.js';

// `composelet validate PATH`: the projects, services and dependency levels, or every problem at once.

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check manifests and print their projects, services and dependency levels',
  help: `Usage: composelet validate PATH [options]

Loads PATH (a compose file, a project directory, or a manifests root whose subdirectories are projects),
validates it and prints each project's services in dependency levels, then the policy findings (rules
set in x-composelet.policy; by default every rule only warns). On problems, prints every one of them as
FILE:LINE:COLUMN: PATH: CAUSE and exits 1; a policy error also exits 1. Nothing touches the engine.
A project that targets Swarm (x-composelet.target, or --target swarm) is also checked for what Swarm
cannot do or does differently, per key with FILE:LINE:COLUMN (see the README, Growing beyond one host):
an error there exits 1 (apply would refuse it), a warning is printed.

Options:
${MANIFEST_OPTIONS_HELP}
      --target swarm|engine  check the projects for that target (default: each project's x-composelet.target)
      --json               print the summary (or the problems) as JSON
  -h, --help               show this help`,
  options: { ...manifestOptions, json: { type: 'boolean' }, target: { type: 'string' } },
  async run(input, io) {
    const target = parseTarget(input.values.target as string | undefined);
    if (target instanceof Error) throw new UsageError(target.message);
    const { path, result } = loadFromOptions(input, io);
    const findings = result.ok ? policyFindings(result.state) : [];
    const swarm = result.ok ? swarmFindingsOf(swarmProjectsOf(result.state, target)) : [];
    const swarmBlocked = swarm.some((entry) => swarmBlocks(entry.findings));
    const warnings = warningsToPrint(result, target);
    if (input.values.json) {
      const body = result.ok
        ? { ok: !policyBlocks(findings) && !swarmBlocked, projects: summarize(result.state), policy: findings, swarm, warnings }
        : { ok: false, issues: result.issues, warnings };
      write(io.stdout, JSON.stringify(body, null, 2));
      return result.ok && !policyBlocks(findings) && !swarmBlocked ? 0 : 1;
    }
    printWarnings(warnings, io);
    if (!result.ok) {
      write(io.stderr, `${path}: ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}`);
      for (const issue of result.issues) write(io.stderr, formatIssue(issue));
      return 1;
    }
    write(io.stdout, renderSummary(path, result.state));
    const policyBlocked = printPolicy(findings, io);
    return printSwarmFindings(swarm, io) || policyBlocked ? 1 : 0;
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
