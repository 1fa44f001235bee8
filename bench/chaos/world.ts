import { isNotFound } from '../../src/engine/engine-errors.js';
import type { ContainerInspect, EnginePort } from '../../src/engine/engine-port.js';
import { COMPOSE_SERVICE } from '../../src/reconciler/labels.js';
import { projectContainers } from '../engine-state.js';
import { EDITED_VARIABLE, MEMORY_LIMIT_BYTES, NETWORK, ONE_SHOT } from './stack.js';

// What the engine holds for the chaos project, read in one go (list, then inspect each container), and
// what is wrong with it, per service: the checks are pure, so the convergence rules are tested with
// hand-built snapshots.

export interface WorldSnapshot {
  /** When the read ended (epoch ms): a heal time measured to it is never too short. */
  at: number;
  containers: ContainerInspect[];
}

export interface ServiceExpectation {
  service: string;
  generation: number;
  healthcheck: boolean;
}

const TEMPORARY_NAME = /^\/?[0-9a-f]{12}_/;

export async function readWorld(engine: EnginePort, projectName: string, now: () => number): Promise<WorldSnapshot> {
  const summaries = await projectContainers(engine, projectName);
  const containers: ContainerInspect[] = [];
  for (const summary of summaries) {
    try {
      containers.push(await engine.inspectContainer(summary.Id));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return { at: now(), containers };
}

export function containersOf(snapshot: WorldSnapshot, service: string): ContainerInspect[] {
  return snapshot.containers.filter((container) => container.Config.Labels?.[COMPOSE_SERVICE] === service);
}

/** Why the service is not as desired yet (empty when it is). */
export function serviceProblems(snapshot: WorldSnapshot, projectName: string, expected: ServiceExpectation): string[] {
  const containers = containersOf(snapshot, expected.service);
  if (containers.length !== 1) return [`${expected.service}: ${containers.length} containers`];
  const container = containers[0]!;
  const problems: string[] = [];
  const name = container.Name.replace(/^\//, '');
  if (name !== `${projectName}-${expected.service}-1`) problems.push(`named ${name}`);
  if (container.State.Status !== 'running') problems.push(container.State.Status);
  else if (expected.healthcheck && container.State.Health?.Status !== 'healthy') problems.push(`health ${container.State.Health?.Status ?? 'none'}`);
  if (!(container.Config.Env ?? []).includes(`${EDITED_VARIABLE}=${expected.generation}`)) problems.push(`not generation ${expected.generation}`);
  if (container.HostConfig.Memory !== MEMORY_LIMIT_BYTES) problems.push(`memory ${container.HostConfig.Memory}`);
  if (container.NetworkSettings.Networks[`${projectName}_${NETWORK}`] === undefined) problems.push(`not on ${NETWORK}`);
  return problems.map((problem) => (problem.startsWith(`${expected.service}:`) ? problem : `${expected.service}: ${problem}`));
}

/** The one-shot must exist once, exited 0 (it ran once and is not run again). */
export function oneShotProblems(snapshot: WorldSnapshot): string[] {
  const containers = containersOf(snapshot, ONE_SHOT);
  if (containers.length !== 1) return [`${ONE_SHOT}: ${containers.length} containers`];
  const state = containers[0]!.State;
  return state.Status === 'exited' && state.ExitCode === 0 ? [] : [`${ONE_SHOT}: ${state.Status} (${state.ExitCode})`];
}

/** Replacements left under their temporary name (`<12 hex>_<name>`). */
export function strayContainers(snapshot: WorldSnapshot): string[] {
  return snapshot.containers.map((container) => container.Name.replace(/^\//, '')).filter((name) => TEMPORARY_NAME.test(name));
}

/** Services with more than one container, and how many extra. */
export function duplicateCounts(snapshot: WorldSnapshot, services: readonly string[]): Map<string, number> {
  const extra = new Map<string, number>();
  for (const service of services) {
    const count = containersOf(snapshot, service).length;
    if (count > 1) extra.set(service, count - 1);
  }
  return extra;
}

export function worldProblems(snapshot: WorldSnapshot, projectName: string, expectations: readonly ServiceExpectation[]): string[] {
  return [
    ...expectations.flatMap((expected) => serviceProblems(snapshot, projectName, expected)),
    ...oneShotProblems(snapshot),
    ...strayContainers(snapshot).map((name) => `stray ${name}`),
  ];
}
