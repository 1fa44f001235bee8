import { buildContextHash } from '../actuators/build-context.js';
import type { Project } from '../desired-state/model.js';
import type { EnginePort } from '../engine/engine-port.js';
import { execute, type ExecutionEvent, type ExecutionReport } from './execute/execute.js';
import { observeRemembering, planKnowingImageVolumes, type VolumeRecordOptions } from './observe/anonymous-volume-inputs.js';
import type { ObservedState } from './observe/observed-state.js';
import type { Plan } from './plan/plan.js';
import { plan, planDown } from './plan/planner.js';

// One project, one pass: observe the engine, plan against the desired state, execute the plan. The three
// stages stay separate (the plan is data in between); this module only wires them.

export type { VolumeRecordOptions } from './observe/anonymous-volume-inputs.js';

export interface PlanningOptions {
  prune: boolean;
  waitTimeoutSeconds?: number;
  /** service -> why it must not be recreated now (see pre-recreate-backups.ts). */
  holdRecreates?: Record<string, string>;
  /** Take over what docker compose made (see plan-adoption.ts). */
  adopt?: boolean;
  /** Where the remembered anonymous volumes are kept (see anonymous-volume-inputs.ts); unset: none. */
  volumeRecord?: VolumeRecordOptions;
  /** What an operator suspended (`composelet suspend`): nothing is planned for it. */
  suspended?: { project: string | null; services: Record<string, string> };
  /** A rollback (`composelet rollback`): rollouts follow deploy.rollback_config. */
  rollback?: boolean;
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
  const [{ observed, recordedVolumes }, buildHashes] = await Promise.all([
    observeRemembering(engine, project, options.volumeRecord ? { volumeRecord: options.volumeRecord } : {}),
    buildHashesOf(project),
  ]);
  const planned = await planKnowingImageVolumes(engine, observed, (imageVolumes) =>
    plan(project, observed, {
      prune: options.prune,
      buildHashes,
      imageVolumes,
      recordedVolumes,
      ...(options.waitTimeoutSeconds !== undefined ? { waitTimeoutSeconds: options.waitTimeoutSeconds } : {}),
      ...(options.holdRecreates ? { holdRecreates: options.holdRecreates } : {}),
      ...(options.adopt === true ? { adopt: true } : {}),
      ...(options.suspended ? { suspended: options.suspended } : {}),
      ...(options.rollback === true ? { rollback: true } : {}),
    }),
  );
  return { project, observed, plan: planned.plan };
}

export async function planProjectDown(
  engine: EnginePort,
  project: Project,
  options: { removeVolumes: boolean; volumeRecord?: VolumeRecordOptions },
): Promise<PlannedProject> {
  const { observed, recordedVolumes } = await observeRemembering(engine, project, options.volumeRecord ? { volumeRecord: options.volumeRecord } : {});
  return { project, observed, plan: planDown(project, observed, { removeVolumes: options.removeVolumes, recordedVolumes }) };
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
