import { write, type CliIo } from '../../cli/command.js';
import type { DesiredState, Project } from '../../desired-state/model.js';
import { targetOf, type Target } from '../target.js';
import type { SwarmFinding } from './swarm-rule.js';
import { formatSwarmFinding, summarizeSwarmFindings, swarmBlocks, validateForSwarm } from './validate-swarm.js';

// The Swarm findings of the projects that target Swarm, as validate and apply print them: a summary line per
// project with findings, then one line per finding. Errors block apply; warnings are printed.

export interface ProjectSwarmFindings {
  project: string;
  findings: SwarmFinding[];
}

export function swarmFindingsOf(projects: readonly Project[]): ProjectSwarmFindings[] {
  return projects.map((project) => ({ project: project.name, findings: validateForSwarm(project) }));
}

/** The projects of the state that run on Swarm (`--target` wins over x-composelet.target). */
export function swarmProjectsOf(state: DesiredState, target: Target | undefined): Project[] {
  return state.projects.filter((project) => targetOf(project, target) === 'swarm');
}

/** Prints the findings; true when an error blocks apply. */
export function printSwarmFindings(results: readonly ProjectSwarmFindings[], io: CliIo): boolean {
  for (const { project, findings } of results) {
    if (findings.length === 0) continue;
    write(io.stdout, summarizeSwarmFindings(project, findings));
    for (const finding of findings) write(io.stdout, `  ${formatSwarmFinding(finding)}`);
  }
  return results.some(({ findings }) => swarmBlocks(findings));
}
