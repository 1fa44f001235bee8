import { containerFiles } from '../../../actuators/container-files.js';
import type { ContainerCreateSpec } from '../../../actuators/container-spec.js';
import { asideName, containerSpec, temporaryName } from '../../naming.js';
import type { ObservedContainer } from '../../observe/observed-state.js';
import type { WaitCondition } from '../plan.js';
import { ids } from '../plan-builder.js';
import { stopTimeoutSeconds, type PlanContext } from '../plan-context.js';
import { addConnects, type ServiceInputs } from '../services/plan-replica.js';
import { planAnonymousVolumes } from '../volumes/plan-anonymous-volumes.js';

// Replacing one container with a way back, the shape adoption and rollouts share:
//
//   rename the old container aside (when it holds the final name), once the image and what the service
//   needs are there: a missing image fails before anything is touched
//   create the replacement under the final name (it inherits the old one's anonymous volumes), join networks
//   stop-first: stop the old one, start the replacement | start-first: start the replacement
//   wait until the replacement proves itself (running or healthy, then held for the monitor period)
//   start-first: stop the old one now
//   remove the old one (its anonymous volumes stay: the replacement mounts them)
//
// and fallbacks that run only when a covered step fails: remove the replacement, rename the old container
// back, start it (the same container, the same volumes). A rollout of several replicas holds every
// removal until all batches proved themselves, and its fallbacks cover all batches: they roll back together.

export interface ReplaceWithFallback {
  number: number;
  /** The final container name. */
  name: string;
  old: ObservedContainer;
  /** The old container was running before (a container left aside by an interrupted run always was). */
  wasUp: boolean;
  cause: string;
  /** Cause of the fallbacks ("rollout failed: demo-api-1 comes back"). */
  backCause: string;
  /** Cause of the proof ("the replacement must prove itself before the old container goes"). */
  proofCause: string;
  /** Cause of the old container's removal. */
  removeCause: string;
  order: 'stop-first' | 'start-first';
  condition: WaitCondition;
  /** Hold the condition this long after it is first met (a rollout's monitor); null: a plain wait. */
  monitorSeconds: number | null;
  timeoutSeconds: number | null;
  /** Operations everything here waits for. */
  after: number[];
  /** Replace the create body (adoption marks a completed one-shot). */
  spec?: (spec: ContainerCreateSpec) => ContainerCreateSpec;
  /** Never start the replacement (an adopted one-shot that had completed). */
  createOnly?: boolean;
  /** No way back (failure_action: continue): the old container goes once the replacement started. */
  withoutFallback?: boolean;
}

export interface ReplacementSteps {
  aside: number | null;
  create: number;
  start: number | null;
  proven: number | null;
  /** Planned by `planOldRemoval`. */
  removeOld: number | null;
  connects: number[];
  /** The old container is stopped before the replacement starts (stop-first). */
  stopped: boolean;
  /** The steps whose failure puts the old container back. */
  covered: number[];
  /** The fallback operations (filled by `addFallbacks`). */
  fallbacks: number[];
}

/** Plans the steps up to the proof; then `planOldRemoval` and `addFallbacks` (batches widen both first). */
export function planReplaceWithFallback(context: PlanContext, inputs: ServiceInputs, replacement: ReplaceWithFallback): ReplacementSteps {
  const { service } = inputs;
  const { old, name, number, cause } = replacement;
  const base = { resourceId: `container:${name}`, service: service.name } as const;
  const needs = ids(replacement.after, inputs.resourceOperations, inputs.image.operation, inputs.gates());
  const aside =
    old.name === name
      ? context.builder.add({ ...base, kind: 'rename-container', cause: `${cause}: renamed aside to free the name`, dependsOn: needs, container: old.id, newName: asideName(old.id, name) })
      : null;
  const anonymous = planAnonymousVolumes(context, service, { number, image: inputs.image.image, previous: old });
  const spec = containerSpec(context.project, service, { number, image: inputs.image.image, anonymousVolumes: anonymous.names });
  const create = context.builder.add({
    ...base,
    kind: 'create-container',
    cause,
    dependsOn: ids(needs, aside, anonymous.operations),
    name,
    spec: replacement.spec ? replacement.spec(spec) : spec,
    inheritAnonymousVolumesFrom: old.id,
    nameImageVolumes: anonymous.nameImageVolumes,
    files: containerFiles(context.project, service),
  });
  const connects = addConnects(context, inputs, name, create);
  const stopOld = (after: number[]) =>
    context.builder.add({
      ...base,
      kind: 'stop-container',
      cause,
      dependsOn: after,
      container: old.id,
      signal: service.stopSignal,
      timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
      preStop: service.preStop,
    });
  const stopFirst = replacement.order === 'stop-first' || replacement.createOnly === true;
  const earlyStop = replacement.wasUp && stopFirst ? stopOld(ids(create, connects)) : null;
  const start =
    replacement.createOnly === true
      ? null
      : context.builder.add({ ...base, kind: 'start-container', cause, dependsOn: ids(create, connects, earlyStop), container: name, postStart: service.postStart });
  const proven =
    start === null
      ? null
      : context.builder.add({
          ...base,
          kind: 'wait',
          cause: replacement.proofCause,
          dependsOn: [start],
          container: name,
          condition: replacement.condition,
          timeoutSeconds: replacement.timeoutSeconds,
          ...(replacement.monitorSeconds !== null ? { monitorSeconds: replacement.monitorSeconds } : {}),
        });
  return { aside, create, start, proven, removeOld: null, covered: ids(create, connects, earlyStop, start, proven), fallbacks: [], connects, stopped: earlyStop !== null };
}

/** Stops (start-first) and removes the old container once the replacement proved itself and `after` succeeded. */
export function planOldRemoval(context: PlanContext, inputs: ServiceInputs, replacement: ReplaceWithFallback, steps: ReplacementSteps, after: number[] = []): number {
  const { service } = inputs;
  const { old, name } = replacement;
  const provenOrStarted = replacement.withoutFallback === true ? steps.start : steps.proven;
  const lateStop =
    replacement.wasUp && !steps.stopped
      ? context.builder.add({
          resourceId: `container:${name}`,
          service: service.name,
          kind: 'stop-container',
          cause: replacement.cause,
          dependsOn: ids(steps.create, steps.connects, provenOrStarted, after),
          container: old.id,
          signal: service.stopSignal,
          timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
          preStop: service.preStop,
        })
      : null;
  steps.removeOld = context.builder.add({
    resourceId: `container:${old.name}`,
    service: service.name,
    kind: 'remove-container',
    cause: replacement.removeCause,
    dependsOn: ids(steps.create, steps.connects, provenOrStarted, lateStop, after),
    container: old.id,
    removeAnonymousVolumes: false,
  });
  return steps.removeOld;
}

/** The way back, run only when one of `covered` fails: remove the replacement, rename the old one back, start it.
 * `after`: it runs only once these succeeded (a batch's way back skips a replica that went back on its own). */
export function addFallbacks(
  context: PlanContext,
  inputs: ServiceInputs,
  replacement: ReplaceWithFallback,
  steps: ReplacementSteps,
  covered: number[],
  options: { after?: number[] } = {},
): void {
  if (replacement.withoutFallback === true) return;
  const { old, name, backCause } = replacement;
  const base = { resourceId: `container:${name}`, service: inputs.service.name, cause: backCause, onFailureOf: covered } as const;
  const removeReplacement = context.builder.add({
    ...base,
    kind: 'remove-container',
    dependsOn: ids(steps.aside, options.after),
    container: name,
    removeAnonymousVolumes: false,
    force: true,
    ignoreMissing: true,
  });
  steps.fallbacks.push(removeReplacement);
  const renamedAside = steps.aside !== null || old.name === asideName(old.id, name) || old.name === temporaryName(old.id, name);
  const renameBack = renamedAside
    ? context.builder.add({ ...base, kind: 'rename-container', dependsOn: [removeReplacement], container: old.id, newName: name })
    : null;
  if (renameBack !== null) steps.fallbacks.push(renameBack);
  if (replacement.wasUp) {
    steps.fallbacks.push(context.builder.add({ ...base, kind: 'start-container', dependsOn: ids(removeReplacement, renameBack), container: old.id, postStart: [] }));
  }
}
