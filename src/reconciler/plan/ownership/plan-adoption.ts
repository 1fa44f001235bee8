import type { ContainerCreateSpec } from '../../../actuators/container-spec.js';
import type { Service } from '../../../desired-state/model.js';
import { ADOPTED_COMPLETED } from '../../labels.js';
import type { ObservedContainer } from '../../observe/observed-state.js';
import { hasCompleted, isOneShot } from '../../one-shot.js';
import type { ComposeNaming, WaitCondition } from '../plan.js';
import { ids } from '../plan-builder.js';
import { stopTimeoutSeconds, type PlanContext, type ReplicaOutcome } from '../plan-context.js';
import { planInPlace } from '../services/plan-in-place.js';
import { isRunning, type ServiceInputs } from '../services/plan-replica.js';
import { addFallbacks, planOldRemoval, planReplaceWithFallback, type ReplaceWithFallback } from '../rollout/plan-replace-with-fallback.js';

// Taking over one replica that docker compose made (adoption), as a plan shape with a way back:
//
//   rename the compose container aside (only when it holds the final name: v2 names, container_name)
//   create the replacement under the final name (it inherits the old one's anonymous volumes; named
//   volumes are the same by name), join its networks
//   stop the compose container, start the replacement, wait until it runs (healthy, when it has a healthcheck)
//   remove the compose container (its anonymous volumes stay: the replacement mounts them)
//
// and fallbacks that run only when a step of that fails: remove the replacement, rename the compose
// container back, start it again. The replacement is started only after the old container stopped, so
// their ports never clash; the service is down once, for about a stop and a start. A one-shot that had
// completed is replaced by a created container marked completed, so it is not run again. Each adoption
// waits for the previous one (context.adoptionTail): one service at a time, in dependency order, and a
// failure leaves the services after it running under docker compose.

export interface AdoptedReplica {
  number: number;
  /** The final container name. */
  name: string;
  compose: ObservedContainer;
  /** An owned container already holding this replica (an earlier, interrupted adoption). */
  owned: ObservedContainer | null;
}

export interface AdoptionSteps {
  outcome: ReplicaOutcome;
  /** Every operation planned for this replica. */
  operations: number[];
}

export function planAdoptedReplica(context: PlanContext, inputs: ServiceInputs, replica: AdoptedReplica): AdoptionSteps {
  const first = context.builder.size;
  const operations = () => range(first, context.builder.size);
  const { owned, compose } = replica;
  if (owned !== null && isRunning(owned)) {
    // The replacement runs: the compose container is what an interrupted adoption left behind.
    const tail = removeCompose(context, inputs, replica, 'adopt: left over from an interrupted adoption (the replacement runs)', ids(context.adoptionTail), {
      stopFirst: isRunning(compose),
    });
    context.adoptionTail = tail;
    const outcome = planInPlace(context, inputs, { number: replica.number, name: replica.name, container: owned });
    return { outcome, operations: operations() };
  }
  // A replacement that never ran is half-made: clear it and adopt from the compose container again.
  const cleared =
    owned === null
      ? null
      : context.builder.add({
          kind: 'remove-container',
          resourceId: `container:${replica.name}`,
          service: inputs.service.name,
          cause: 'adopt: half-made replacement of an interrupted adoption',
          dependsOn: ids(context.adoptionTail),
          container: owned.id,
          removeAnonymousVolumes: false,
          force: true,
        });
  const outcome = adopt(context, inputs, replica, ids(context.adoptionTail, cleared));
  return { outcome, operations: operations() };
}

function adopt(context: PlanContext, inputs: ServiceInputs, replica: AdoptedReplica, after: number[]): ReplicaOutcome {
  const { service } = inputs;
  const { compose, name, number } = replica;
  const cause = `adopt: made by docker compose as ${compose.name}`;
  const completed = isOneShot(service) && hasCompleted(compose);
  const replacement: ReplaceWithFallback = {
    number,
    name,
    old: compose,
    wasUp: isRunning(compose),
    cause,
    backCause: `adopt failed: ${compose.name} comes back`,
    proofCause: `${cause}: the replacement must prove itself before the old container goes`,
    removeCause: `${cause}: replaced`,
    order: 'stop-first',
    condition: provenCondition(service, compose),
    monitorSeconds: null,
    timeoutSeconds: context.options.waitTimeoutSeconds ?? null,
    after,
    ...(completed ? { createOnly: true, spec: (spec: ContainerCreateSpec) => ({ ...spec, Labels: { ...spec.Labels, [ADOPTED_COMPLETED]: compose.id } }) } : {}),
  };
  const steps = planReplaceWithFallback(context, inputs, replacement);
  context.adoptionTail = planOldRemoval(context, inputs, replacement, steps);
  addFallbacks(context, inputs, replacement, steps, steps.covered);
  // A completed one-shot is never started: what depends on it may go once its replacement exists.
  return { number, name, startOperation: steps.start ?? steps.create, recreated: false, restarted: false, restartable: false };
}

/** Remove the compose container (stopping it first when asked); its anonymous volumes are kept. */
function removeCompose(
  context: PlanContext,
  inputs: ServiceInputs,
  replica: AdoptedReplica,
  cause: string,
  after: number[],
  options: { stopFirst: boolean },
): number {
  const { compose } = replica;
  const { service } = inputs;
  const base = { resourceId: `container:${compose.name}`, service: service.name, cause, container: compose.id } as const;
  const stop = options.stopFirst
    ? context.builder.add({
        ...base,
        kind: 'stop-container',
        dependsOn: after,
        signal: service.stopSignal,
        timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
        preStop: service.preStop,
      })
    : null;
  return context.builder.add({ ...base, kind: 'remove-container', dependsOn: stop === null ? after : [stop], removeAnonymousVolumes: false });
}

/** What the replacement must reach before the old container goes: healthy when it has a healthcheck. */
export function provenCondition(service: Service, compose: ObservedContainer): WaitCondition {
  if (service.healthcheck?.test[0] === 'NONE') return 'running';
  return service.healthcheck !== null || compose.health !== null ? 'healthy' : 'running';
}

/** How docker compose named the container: v2, v1, container_name, or something else (renamed). */
export function composeNaming(projectName: string, service: Service, container: ObservedContainer): ComposeNaming {
  const number = container.number ?? 1;
  if (service.containerName !== null && container.name === service.containerName) return 'container_name';
  if (container.name === `${projectName}-${service.name}-${number}`) return 'v2';
  if (container.name === `${projectName}_${service.name}_${number}`) return 'v1';
  return 'other';
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}
