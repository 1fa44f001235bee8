import type { Project } from '../desired-state/model.js';
import type { SwarmPort } from './engine/swarm-port.js';
import { executeSwarm, type SwarmOutcome } from './execute/execute-swarm.js';
import { desiredSwarm } from './mapping/desired-swarm.js';
import { readFileObjectContents } from './model/file-contents.js';
import { planSwarm } from './plan/plan-swarm.js';
import type { SwarmPlan } from './plan/swarm-plan.js';

// One Swarm project, observe -> plan -> execute: the same three stages as on one host.

export async function planSwarmProject(project: Project, port: SwarmPort): Promise<SwarmPlan> {
  const desired = desiredSwarm(project, readFileObjectContents(project));
  return planSwarm(desired, await port.observe(project.name));
}

export async function applySwarmProject(
  project: Project,
  port: SwarmPort,
  options: { timeoutMs: number; dryRun?: boolean; onPlan?: (plan: SwarmPlan) => void; onOutcome?: (outcome: SwarmOutcome) => void },
): Promise<{ plan: SwarmPlan; outcomes: SwarmOutcome[] }> {
  const plan = await planSwarmProject(project, port);
  options.onPlan?.(plan);
  if (options.dryRun || plan.operations.length === 0) return { plan, outcomes: [] };
  const outcomes = await executeSwarm(plan, port, { timeoutMs: options.timeoutMs, ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}) });
  return { plan, outcomes };
}
