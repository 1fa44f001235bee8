import { buildContextHash } from '../actuators/build-context.js';
import type { Project } from '../desired-state/model.js';
import type { EnginePort } from '../engine/engine-port.js';
import { execute, type ExecutionEvent, type ExecutionReport } from './execute.js';
import { observe } from './observe.js';
import type { ObservedState } from './observed-state.js';
import type { Plan } from './plan.js';
import { plan, planDown } from './planner.js';

// One project, one pass: observe the engine, plan against the desired state, execute the plan. The three
// stages stay separate (the plan is data in between); this module only wires them.

export interface PlanningOptions {
  prune: boolean;
  waitTimeoutSeconds?: number;
  /** service -> why it must not be recreated now (see pre-recreate-backups.ts). */
  holdRecreates?: Record<string, string>;
  /** Take over what docker compose made (see plan-adoption.ts). */
  adopt?: boolean;
}

export interface PlannedProject {
  project: Project;
  observed: ObservedState;
  plan: Plan;
}

/** Hashes of each `build:` service's inputs (context files, Dockerfile, args, target). */
export async function buildHashesOf(project: Project): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const service of Object.values(project.services)) {
    if (service.build) hashes[service.name] = await buildContextHash(service.build);
  }
  return hashes;
}

export async function planProject(engine: EnginePort, project: Project, options: PlanningOptions): Promise<PlannedProject> {
  const [observed, buildHashes] = await Promise.all([observe(engine, project), buildHashesOf(project)]);
  return {
    project,
    observed,
    plan: plan(project, observed, {
      prune: options.prune,
      buildHashes,
      ...(options.waitTimeoutSeconds !== undefined ? { waitTimeoutSeconds: options.waitTimeoutSeconds } : {}),
      ...(options.holdRecreates ? { holdRecreates: options.holdRecreates } : {}),
      ...(options.adopt === true ? { adopt: true } : {}),
    }),
  };
}

export async function planProjectDown(
  engine: EnginePort,
  project: Project,
  options: { removeVolumes: boolean },
): Promise<PlannedProject> {
  const observed = await observe(engine, project);
  return { project, observed, plan: planDown(project, observed, options) };
}

export interface RunOptions {
  concurrency?: number;
  waitTimeoutMs?: number;
  onEvent?: (event: ExecutionEvent) => void;
  signal?: AbortSignal;
}

export function runPlan(engine: EnginePort, planned: PlannedProject, options: RunOptions = {}): Promise<ExecutionReport> {
  return execute(planned.plan, engine, {
    observedContainers: planned.observed.containers,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.waitTimeoutMs !== undefined ? { waitTimeoutMs: options.waitTimeoutMs } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
