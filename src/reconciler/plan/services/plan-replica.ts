import type { Service } from '../../../desired-state/model.js';
import type { ObservedContainer } from '../../observe/observed-state.js';
import { ids } from '../plan-builder.js';
import type { PlanContext, ReplicaOutcome } from '../plan-context.js';
import { stopTimeoutSeconds } from '../plan-context.js';
import type { ImagePlan } from './plan-images.js';
import { containerName, containerSpec, temporaryName, additionalNetworks } from '../../naming.js';
import { planInPlace } from './plan-in-place.js';
import { recreateCause } from '../recreate-cause.js';
import { containerFiles } from '../../../actuators/container-files.js';
import { planAnonymousVolumes } from '../volumes/plan-anonymous-volumes.js';
import type { ServiceRollout } from '../rollout/plan-rollout.js';
import { namespaceProviders } from '../namespace-sharing.js';

// One replica of a service: create it when it is missing, replace it when its spec or image changed, else
// converge it in place (plan-in-place.ts). A running replica is replaced by a rollout, with a way back
// (plan-rollout.ts); one that does not run by create under a temporary name, remove the
// old one, rename, connect, start.

/** What a service's replicas share: its image, the resources it needs and its dependency gates. */
export interface ServiceInputs {
  service: Service;
  image: ImagePlan;
  /** Create operations of the networks and volumes it uses. */
  resourceOperations: number[];
  /** `network:x` -> create operation, for connects to existing containers. */
  networkOperations: Map<string, number>;
  /** A missing external resource or image: no container of it can be created. */
  blocked: boolean;
  /** Dependency gates (planned on first use). */
  gates: () => number[];
  /** Replace existing containers even when they match (a namespace they joined was replaced). */
  forcedRecreateCause: string | null;
  /** The service's rollout: running replicas are replaced with a way back (plan-rollout.ts). */
  rollout?: ServiceRollout;
  /** Old containers an interrupted rollout left renamed aside, by replica number. */
  asides?: Map<number, ObservedContainer>;
}

export function planReplica(
  context: PlanContext,
  inputs: ServiceInputs,
  number: number,
  container: ObservedContainer | null,
): ReplicaOutcome {
  const name = containerName(context.project, inputs.service, number);
  const aside = inputs.asides?.get(number);
  if (aside !== undefined) return planInterrupted(context, inputs, { number, name, aside, current: container === aside ? null : container });
  if (container === null) return planCreation(context, inputs, number, name);
  const cause = recreateCause(inputs.service, container, inputs.image) ?? inputs.forcedRecreateCause ?? healingRecreateCause(context, inputs.service.name, container);
  if (cause === null) return planInPlace(context, inputs, { number, name, container });
  const held = context.options.holdRecreates?.[inputs.service.name];
  if (held !== undefined) {
    context.builder.note({ resourceId: `container:${name}`, message: `not recreated (${cause}): ${held}` });
    return planInPlace(context, inputs, { number, name, container });
  }
  if (inputs.blocked) return idle(number, name, false);
  if (inputs.rollout !== undefined && isRunning(container) && !sharesNamespaces(context, inputs.service)) {
    return inputs.rollout.replace({ number, name, old: container, cause });
  }
  return planReplacement(context, inputs, { number, name, container, cause });
}

/**
 * A rollout a crash interrupted: the old container is renamed aside (`<name>-previous-<its id>`). When its
 * replacement runs the desired spec, it is watched again; else the half-made replacement is removed and
 * the rollout made again from the old container, or, when the spec must not be rolled out now (it failed
 * before, or the old one is what is desired), the old container is renamed back and started.
 */
function planInterrupted(
  context: PlanContext,
  inputs: ServiceInputs,
  interrupted: { number: number; name: string; aside: ObservedContainer; current: ObservedContainer | null },
): ReplicaOutcome {
  const { number, name, aside, current } = interrupted;
  const { service } = inputs;
  const base = { resourceId: `container:${name}`, service: service.name } as const;
  const held = context.options.holdRecreates?.[service.name];
  const wanted = held === undefined && !inputs.blocked && inputs.rollout !== undefined && recreateCause(service, aside, inputs.image) !== null;
  if (wanted && current !== null && isRunning(current) && current.specHash === service.specHash) {
    return inputs.rollout!.resume({ number, name, aside });
  }
  const cleared =
    current === null
      ? null
      : context.builder.add({ ...base, kind: 'remove-container', cause: 'rollout interrupted: half-made replacement', dependsOn: [], container: current.id, removeAnonymousVolumes: false, force: true });
  if (wanted) return inputs.rollout!.replace({ number, name, old: aside, cause: 'rollout interrupted: made again', after: ids(cleared) });
  const back = 'rollout interrupted: the old container comes back';
  const rename = context.builder.add({ ...base, kind: 'rename-container', cause: back, dependsOn: ids(cleared), container: aside.id, newName: name });
  const start = context.builder.add({ ...base, kind: 'start-container', cause: back, dependsOn: [rename], container: aside.id, postStart: [] });
  return { number, name, startOperation: start, recreated: false, restarted: false, restartable: false };
}

/** A healing directive to recreate a stopped container the engine refuses to start (a stale task). Not
 * while the service's starts are held (crash-loop backoff, a backup): the hold's note says why. */
function healingRecreateCause(context: PlanContext, serviceName: string, container: ObservedContainer): string | null {
  const healing = context.options.healing;
  const reason = healing?.recreateContainers?.[container.name];
  if (reason === undefined || isRunning(container) || healing?.holdStarts?.[serviceName] !== undefined) return null;
  return `recreate: ${reason}`;
}

function idle(number: number, name: string, restartable: boolean): ReplicaOutcome {
  return { number, name, startOperation: null, recreated: false, restarted: false, restartable };
}

function planCreation(context: PlanContext, inputs: ServiceInputs, number: number, name: string): ReplicaOutcome {
  if (inputs.blocked) return idle(number, name, false);
  const held = context.options.healing?.holdStarts?.[inputs.service.name];
  if (held !== undefined) {
    context.builder.note({ resourceId: `container:${name}`, message: `not created now: ${held}` });
    return idle(number, name, false);
  }
  const holder = context.observed.containers.find((container) => container.name === name && !container.owned);
  if (holder) {
    context.builder.problem({
      service: inputs.service.name,
      resourceId: `container:${name}`,
      message: `the name is taken by a container composelet does not own (${holder.id.slice(0, 12)}): remove or rename it`,
    });
    return idle(number, name, false);
  }
  const create = addCreate(context, inputs, { number, name, createAs: name, cause: 'not found', replacing: null });
  const connects = addConnects(context, inputs, name, create);
  const start = context.builder.add({
    kind: 'start-container',
    resourceId: `container:${name}`,
    service: inputs.service.name,
    cause: 'new container',
    dependsOn: connects.length > 0 ? connects : [create],
    container: name,
    postStart: inputs.service.postStart,
  });
  return { number, name, startOperation: start, recreated: false, restarted: false, restartable: false };
}

interface Replacement {
  number: number;
  name: string;
  container: ObservedContainer;
  cause: string;
}

function planReplacement(context: PlanContext, inputs: ServiceInputs, replacement: Replacement): ReplicaOutcome {
  const { number, name, container, cause } = replacement;
  const { service } = inputs;
  const resourceId = `container:${name}`;
  const temporary = temporaryName(container.id, name);
  const create = addCreate(context, inputs, { number, name, createAs: temporary, cause, replacing: container });
  const stop = isRunning(container)
    ? context.builder.add({
        kind: 'stop-container',
        resourceId,
        service: service.name,
        cause,
        dependsOn: [create],
        container: container.id,
        signal: service.stopSignal,
        timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
        preStop: service.preStop,
      })
    : null;
  const remove = context.builder.add({
    kind: 'remove-container',
    resourceId,
    service: service.name,
    cause,
    dependsOn: stop === null ? [create] : [stop],
    container: container.id,
    removeAnonymousVolumes: false,
  });
  const rename = context.builder.add({
    kind: 'rename-container',
    resourceId,
    service: service.name,
    cause,
    dependsOn: [remove],
    container: temporary,
    newName: name,
  });
  const connects = addConnects(context, inputs, name, rename);
  const start = context.builder.add({
    kind: 'start-container',
    resourceId,
    service: service.name,
    cause,
    dependsOn: connects.length > 0 ? connects : [rename],
    container: name,
    postStart: service.postStart,
  });
  return { number, name, startOperation: start, recreated: true, restarted: false, restartable: false };
}

/** Joins another service's namespaces, or is joined: rolling one back alone would strand the other, so
 * such services are replaced as before (no rollout). */
function sharesNamespaces(context: PlanContext, service: ServiceInputs['service']): boolean {
  if (namespaceProviders(service).length > 0) return true;
  return Object.values(context.project.services).some((other) => namespaceProviders(other).includes(service.name));
}

/** Up, or on its way up: stopping it is needed before removing it. */
export function isRunning(container: ObservedContainer): boolean {
  return container.state === 'running' || container.state === 'paused' || container.state === 'restarting';
}

function addCreate(
  context: PlanContext,
  inputs: ServiceInputs,
  options: { number: number; name: string; createAs: string; cause: string; replacing: ObservedContainer | null },
): number {
  const anonymous = planAnonymousVolumes(context, inputs.service, { number: options.number, image: inputs.image.image, previous: options.replacing });
  return context.builder.add({
    kind: 'create-container',
    resourceId: `container:${options.name}`,
    service: inputs.service.name,
    cause: options.cause,
    dependsOn: ids(inputs.resourceOperations, anonymous.operations, inputs.image.operation, inputs.gates()),
    name: options.createAs,
    spec: containerSpec(context.project, inputs.service, { number: options.number, image: inputs.image.image, anonymousVolumes: anonymous.names }),
    inheritAnonymousVolumesFrom: options.replacing?.id ?? null,
    nameImageVolumes: anonymous.nameImageVolumes,
    files: containerFiles(context.project, inputs.service),
  });
}

/** Joins the networks beyond the primary one, after `after` (the create or the rename). */
export function addConnects(context: PlanContext, inputs: ServiceInputs, name: string, after: number): number[] {
  return additionalNetworks(context.project, inputs.service).map((attachment) =>
    context.builder.add({
      kind: 'connect-network',
      resourceId: `container:${name}`,
      service: inputs.service.name,
      cause: 'additional network',
      dependsOn: [after],
      container: name,
      network: attachment.name,
      aliases: attachment.aliases,
      ipv4Address: attachment.ipv4Address,
      ipv6Address: attachment.ipv6Address,
    }),
  );
}
