import { write, type CliIo } from '../../cli/command.js';
import type { Project } from '../../desired-state/model.js';
import { applySwarmProject } from '../apply-project.js';
import { createDockerodeSwarm } from '../engine/dockerode-swarm.js';
import { renderSwarmPlan } from '../plan/swarm-plan.js';

// `composelet apply` for the projects that target Swarm: their plan, then each operation's outcome, on the
// manager the engine connection names (DOCKER_HOST or the default socket).

export async function applySwarmProjects(projects: readonly Project[], io: CliIo, options: { timeoutMs: number; dryRun: boolean }): Promise<boolean> {
  const port = createDockerodeSwarm(io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {});
  let failed = false;
  for (const project of projects) {
    const { plan, outcomes } = await applySwarmProject(project, port, {
      timeoutMs: options.timeoutMs,
      dryRun: options.dryRun,
      onPlan: (planned) => write(io.stdout, `project ${project.name} (swarm):\n${indent(renderSwarmPlan(planned))}`),
      onOutcome: (outcome) => {
        if (outcome.result === 'succeeded') write(io.stdout, `  done ${outcome.resourceId}`);
        else write(io.stderr, `  ${outcome.result} ${outcome.resourceId}: ${outcome.message}`);
      },
    });
    if (plan.problems.length > 0 || outcomes.some((outcome) => outcome.result !== 'succeeded')) failed = true;
  }
  return !failed;
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
