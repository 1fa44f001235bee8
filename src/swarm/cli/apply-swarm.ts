import { write, type CliIo } from '../../cli/command.js';
import type { Project } from '../../desired-state/model.js';
import { failedSpecs, readFailedRollouts, updateFailedRollouts } from '../../state/failed-rollouts.js';
import { applySwarmProject, desiredSpecHashes, desiredSwarmOf } from '../apply-project.js';
import { renderTaskDrift } from '../drift/task-drift.js';
import { swarmDrift } from '../drift/swarm-drift.js';
import { createDockerodeSwarm } from '../engine/dockerode-swarm.js';
import { refusalLines, swarmFailureChanges } from '../execute/rollout-memory.js';
import type { SwarmOutcome } from '../execute/swarm-outcome.js';
import { renderSwarmPlan } from '../plan/swarm-plan.js';

// `composelet apply` for the projects that target Swarm: their plan, then each operation's outcome, on the
// manager the engine connection names (DOCKER_HOST or the default socket). A rollout Swarm rolled back or
// paused fails the apply and is remembered (state/failed-rollouts.ts): the next apply refuses that spec,
// touching nothing, unless --retry-failed. `--dry-run` also lists the tasks not running where Swarm wants
// them (a drain moving them), per node.

export interface ApplySwarmOptions {
  timeoutMs: number;
  dryRun: boolean;
  prune?: boolean;
  retryFailed?: boolean;
  /** Where the failed-rollout memory lives; without it, nothing is remembered or refused. */
  stateDir?: string;
}

export async function applySwarmProjects(projects: readonly Project[], io: CliIo, options: ApplySwarmOptions): Promise<boolean> {
  const port = createDockerodeSwarm(io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {});
  const stateDir = options.stateDir;
  if (stateDir !== undefined && !options.dryRun && !options.retryFailed) {
    const refused: string[] = [];
    for (const project of projects) {
      const remembered = await readFailedRollouts(stateDir, project.name);
      refused.push(...refusalLines(project.name, failedSpecs(remembered, desiredSpecHashes(desiredSwarmOf(project)))));
    }
    if (refused.length > 0) {
      for (const line of refused) write(io.stderr, `composelet apply: ${line}`);
      write(io.stderr, 'composelet apply: nothing was changed on Swarm; change the spec, or retry it with --retry-failed');
      return false;
    }
  }
  let failed = false;
  for (const project of projects) {
    const { plan, outcomes } = await applySwarmProject(project, port, {
      timeoutMs: options.timeoutMs,
      dryRun: options.dryRun,
      prune: options.prune ?? false,
      onPlan: (planned) => write(io.stdout, `project ${project.name} (swarm):\n${indent(renderSwarmPlan(planned))}`),
      onOutcome: (outcome) => {
        if (outcome.result === 'succeeded') write(io.stdout, `  done ${outcome.resourceId}`);
        else write(io.stderr, `  ${outcome.result} ${outcome.resourceId}: ${outcome.message}`);
      },
    });
    if (options.dryRun) write(io.stdout, indent(await taskLines(project, port)));
    for (const outcome of outcomes) {
      const line = rolloutLine(outcome);
      if (line !== null) write(io.stderr, `composelet apply: project ${project.name}: ${line}`);
    }
    if (stateDir !== undefined && outcomes.length > 0) await updateFailedRollouts(stateDir, project.name, swarmFailureChanges(plan, outcomes, new Date()));
    if (plan.problems.length > 0 || outcomes.some((outcome) => outcome.result !== 'succeeded')) failed = true;
  }
  return !failed;
}

/** A rollout Swarm ended, in one line naming the service and Swarm's reason. */
export function rolloutLine(outcome: SwarmOutcome): string | null {
  if (outcome.result === 'rolled-back') return `${outcome.service}: update rolled back by Swarm, it runs its previous spec (not retried until its spec changes, or apply --retry-failed): ${outcome.message}`;
  if (outcome.result === 'paused') return `${outcome.service}: update paused by Swarm (not retried until its spec changes, or apply --retry-failed): ${outcome.message}`;
  return null;
}

async function taskLines(project: Project, port: ReturnType<typeof createDockerodeSwarm>): Promise<string> {
  const drift = swarmDrift(desiredSwarmOf(project), await port.observe(project.name));
  const lines = drift.flatMap((entry) => [...(entry.tasks === null ? [] : [`${entry.service}: tasks ${entry.tasks}`]), ...renderTaskDrift(entry.service, entry.taskStates)]);
  return lines.length === 0 ? 'tasks: all running where Swarm wants them' : ['tasks:', ...lines.map((line) => `  ${line}`)].join('\n');
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
