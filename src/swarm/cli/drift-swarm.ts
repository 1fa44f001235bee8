import type { CliIo } from '../../cli/command.js';
import type { Project } from '../../desired-state/model.js';
import { createRedactor } from '../../redaction/redact.js';
import { desiredSwarmOf } from '../apply-project.js';
import { swarmDrift, type SwarmDriftReport, type SwarmServiceDrift } from '../drift/swarm-drift.js';

export type { SwarmDriftReport };
import { redactDifference } from '../drift/redact-difference.js';
import { renderTaskDrift } from '../drift/task-drift.js';
import { createDockerodeSwarm } from '../engine/dockerode-swarm.js';

// `composelet drift` for the projects that target Swarm: per service, missing, spec fields that differ from
// the manifests (desired and observed values), and tasks not running where Swarm wants them (which node,
// which state: a drain moving them). Read-only: placement is Swarm's. Secret values never appear: configs
// and secrets are referenced by their content-hashed names only, and a difference under the environment,
// command or labels is shown as markers (drift/redact-difference.ts).

export async function swarmDriftReport(projects: readonly Project[], io: Pick<CliIo, 'env'>): Promise<SwarmDriftReport> {
  const port = createDockerodeSwarm(io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {});
  const reported: SwarmDriftReport['projects'] = [];
  const redactor = createRedactor(io.env.COMPOSELET_REDACTION_KEY ? { key: io.env.COMPOSELET_REDACTION_KEY } : {});
  for (const project of projects) {
    const services = swarmDrift(desiredSwarmOf(project), await port.observe(project.name));
    reported.push({ name: project.name, services: services.map((entry) => ({ ...entry, differences: entry.differences.map((difference) => redactDifference(difference, redactor)) })) });
  }
  return { target: 'swarm', inSync: reported.every((project) => project.services.length === 0), projects: reported };
}

export function renderSwarmDriftMarkdown(report: SwarmDriftReport): string {
  const lines: string[] = [];
  for (const project of report.projects) {
    lines.push(`## ${project.name} (swarm)`, '');
    if (project.services.length === 0) lines.push('in sync: every service runs its spec, its tasks running where Swarm wants them');
    for (const drift of project.services) {
      if (drift.missing) lines.push(`- ${drift.service}: missing`);
      for (const difference of drift.differences) lines.push(`- ${drift.service}: ${difference.path}: desired ${JSON.stringify(difference.desired)}, observed ${JSON.stringify(difference.observed)}`);
      if (drift.tasks !== null) lines.push(`- ${drift.service}: tasks ${drift.tasks}`);
      for (const line of renderTaskDrift(drift.service, drift.taskStates)) lines.push(`- ${line}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
