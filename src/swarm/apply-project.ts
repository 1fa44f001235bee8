import type { Project } from '../desired-state/model.js';
import type { SwarmPort } from './engine/swarm-port.js';
import { executeSwarm, type SwarmOutcome } from './execute/execute-swarm.js';
import { desiredSwarm, type DesiredSwarm } from './mapping/desired-swarm.js';
import { readFileObjectContents } from './model/file-contents.js';
import { SPEC_HASH } from './model/swarm-labels.js';
import { planSwarm } from './plan/plan-swarm.js';
import type { SwarmPlan } from './plan/swarm-plan.js';

// One Swarm project, observe -> plan -> execute: the same three stages as on one host.

export function desiredSwarmOf(project: Project): DesiredSwarm {
  return desiredSwarm(project, readFileObjectContents(project));
}

/** service -> the hash of its desired ServiceSpec (what the failed-rollout memory is keyed on). */
export function desiredSpecHashes(desired: DesiredSwarm): Record<string, string> {
  return Object.fromEntries(Object.entries(desired.services).map(([service, spec]) => [service, spec.Labels[SPEC_HASH] ?? '']));
}

export async function planSwarmProject(project: Project, port: SwarmPort, options: { prune?: boolean } = {}): Promise<SwarmPlan> {
  return planSwarm(desiredSwarmOf(project), await port.observe(project.name), { prune: options.prune ?? false });
}

export async function applySwarmProject(
  project: Project,
  port: SwarmPort,
  options: { timeoutMs: number; dryRun?: boolean; prune?: boolean; onPlan?: (plan: SwarmPlan) => void; onOutcome?: (outcome: SwarmOutcome) => void },
): Promise<{ plan: SwarmPlan; outcomes: SwarmOutcome[] }> {
  const plan = await planSwarmProject(project, port, { prune: options.prune ?? false });
  options.onPlan?.(plan);
  if (options.dryRun || plan.operations.length === 0) return { plan, outcomes: [] };
  const outcomes = await executeSwarm(plan, port, { timeoutMs: options.timeoutMs, ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}) });
  return { plan, outcomes };
}
