import type { Service } from '../../../desired-state/model.js';
import { assignReplicas, type ContainerInventory } from '../../observe/container-inventory.js';
import type { ObservedContainer } from '../../observe/observed-state.js';
import { ids } from '../plan-builder.js';
import { composeNaming, planAdoptedReplica } from '../ownership/plan-adoption.js';
import { asideName, containerName } from '../../naming.js';
import { ServiceRollout } from '../rollout/plan-rollout.js';
import type { PlanContext, ReplicaOutcome, ServiceOutcome } from '../plan-context.js';
import { stopTimeoutSeconds } from '../plan-context.js';
import type { DependencyGates } from '../plan-gates.js';
import type { ImagePlan } from './plan-images.js';
import { unsetFileVariables } from '../../../actuators/container-files.js';
import { addRemoval } from '../ownership/plan-removal.js';
import { planReplica, type ServiceInputs } from './plan-replica.js';
import { resourceNeeds, type ResourcePlan } from './plan-resources.js';
import { planDependencyRestarts } from './plan-restarts.js';
import { namespaceProviders } from '../namespace-sharing.js';

// One service: remove the containers beyond its replica count (and duplicates), converge replicas 1..N,
// then restart running containers whose `restart: true` dependency was recreated.

export interface SharedPlans {
  inventory: ContainerInventory;
  images: Map<string, ImagePlan>;
  resources: ResourcePlan;
  gates: DependencyGates;
}

export function planService(context: PlanContext, service: Service, shared: SharedPlans): ServiceOutcome {
  const suspended = context.options.suspended?.services[service.name];
  if (suspended !== undefined) return planSuspended(context, service, suspended);
  const image = shared.images.get(service.name);
  if (!image) throw new Error(`planner: no image plan for service "${service.name}"`);
  const needs = resourceNeeds(context, shared.resources, service);
  const gates = () => shared.gates.for(service);
  const unsetFiles = unsetFileVariables(context.project, service);
  for (const unset of unsetFiles) context.builder.problem({ service: service.name, ...unset });
  const inputs: ServiceInputs = {
    service,
    image,
    resourceOperations: needs.operations,
    networkOperations: shared.resources.operations,
    blocked: needs.blocked || image.unavailable || unsetFiles.length > 0,
    gates,
    forcedRecreateCause: replacedProviderCause(context, service),
  };

  const containers = shared.inventory.byService.get(service.name) ?? [];
  const finalName = (number: number) => containerName(context.project, service, number);
  const assigned = assignReplicas(containers, service.replicas, finalName);
  const { kept } = assigned;
  const asides = asidesOf(containers, service.replicas, finalName);
  const surplus = assigned.surplus.filter(({ container }) => ![...asides.values()].includes(container));
  inputs.asides = asides;
  inputs.rollout = new ServiceRollout(context, inputs, { imageHasHealthcheck: containers.some((container) => container.health !== null) });
  const adopted = adoptedReplicas(context, service, shared.inventory, finalName);
  for (const { container, cause } of surplus) {
    addRemoval(context.builder, container, {
      service: service.name,
      cause,
      signal: service.stopSignal,
      timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
      preStop: service.preStop,
    });
  }

  const replicas: ReplicaOutcome[] = [];
  const adoptionOperations: number[] = [];
  for (let number = 1; number <= service.replicas; number++) {
    const compose = adopted.kept.get(number);
    if (compose === undefined) {
      replicas.push(planReplica(context, inputs, number, kept.get(number) ?? null));
      continue;
    }
    if (adopted.held) {
      // Left to docker compose for now: nothing is created beside its container.
      replicas.push({ number, name: finalName(number), startOperation: null, recreated: false, restarted: false, restartable: false });
      continue;
    }
    const steps = planAdoptedReplica(context, inputs, { number, name: finalName(number), compose, owned: kept.get(number) ?? null });
    replicas.push(steps.outcome);
    adoptionOperations.push(...steps.operations);
  }
  inputs.rollout.finish();
  for (const { container, cause } of adopted.held ? [] : adopted.surplus) {
    const removal = addRemoval(context.builder, container, {
      service: service.name,
      cause: `adopt: made by docker compose, ${cause}`,
      signal: service.stopSignal,
      timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
      dependsOn: ids(context.adoptionTail),
    });
    adoptionOperations.push(...ids(removal.stop, removal.remove));
    context.adoptionTail = removal.remove;
  }
  if (adopted.containers.length > 0 && !adopted.held) {
    context.builder.adoption({
      service: service.name,
      containers: adopted.containers.map((container) => ({
        id: container.id,
        name: container.name,
        naming: composeNaming(context.project.name, service, container),
        state: container.exitCode === null ? container.state : `${container.state} (${container.exitCode})`,
      })),
      operations: adoptionOperations,
    });
  }
  planDependencyRestarts(context, service, replicas, gates);
  return {
    replicas,
    recreated: replicas.some((replica) => replica.recreated),
    restarted: replicas.some((replica) => replica.restarted),
  };
}

/** Hands off (`composelet suspend`): a note per replica, nothing planned, its containers left as they are. */
function planSuspended(context: PlanContext, service: Service, why: string): ServiceOutcome {
  const replicas: ReplicaOutcome[] = [];
  for (let number = 1; number <= service.replicas; number++) {
    const name = containerName(context.project, service, number);
    context.builder.note({ resourceId: `container:${name}`, message: why });
    replicas.push({ number, name, startOperation: null, recreated: false, restarted: false, restartable: false });
  }
  return { replicas, recreated: false, restarted: false };
}

/** The compose-made containers of a service, by replica number, when the plan adopts them (else none). */
function adoptedReplicas(
  context: PlanContext,
  service: Service,
  inventory: ContainerInventory,
  finalName: (number: number) => string,
): {
  containers: ObservedContainer[];
  kept: Map<number, ObservedContainer>;
  surplus: Array<{ container: ObservedContainer; cause: string }>;
  /** Not adopted now (its pre-recreate backup failed): its compose containers are left as they are. */
  held: boolean;
} {
  const containers = inventory.composeMade.get(service.name) ?? [];
  if (containers.length === 0 || context.options.adopt !== true) return { containers: [], kept: new Map(), surplus: [], held: false };
  const held = context.options.holdRecreates?.[service.name];
  for (const container of held === undefined ? [] : containers) {
    context.builder.note({ resourceId: `container:${container.name}`, message: `not adopted now: ${held}` });
  }
  return { containers, ...assignReplicas(containers, service.replicas, finalName), held: held !== undefined };
}

/** Old containers an interrupted rollout left renamed aside (`<final name>-previous-<own id[:12]>`), by replica number. */
export function asidesOf(
  containers: readonly ObservedContainer[],
  replicas: number,
  finalName: (number: number) => string,
): Map<number, ObservedContainer> {
  const asides = new Map<number, ObservedContainer>();
  for (const container of containers) {
    const number = container.number;
    if (number === null || number < 1 || number > replicas) continue;
    if (container.name === asideName(container.id, finalName(number))) asides.set(number, container);
  }
  return asides;
}

/** "joined namespaces of db, which is replaced" when a service whose namespaces it shares is recreated. */
function replacedProviderCause(context: PlanContext, service: Service): string | null {
  const replaced = namespaceProviders(service).filter((provider) => context.outcomes.get(provider)?.recreated === true);
  return replaced.length === 0 ? null : `shares namespaces with ${replaced.join(', ')}, which is replaced`;
}
