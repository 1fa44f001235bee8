import type { Service } from '../desired-state/model.js';
import { assignReplicas, type ContainerInventory } from './container-inventory.js';
import { containerName } from './naming.js';
import type { PlanContext, ReplicaOutcome, ServiceOutcome } from './plan-context.js';
import { stopTimeoutSeconds } from './plan-context.js';
import type { DependencyGates } from './plan-gates.js';
import type { ImagePlan } from './plan-images.js';
import { unsetFileVariables } from '../actuators/container-files.js';
import { addRemoval } from './plan-removal.js';
import { planReplica, type ServiceInputs } from './plan-replica.js';
import { resourceNeeds, type ResourcePlan } from './plan-resources.js';
import { planDependencyRestarts } from './plan-restarts.js';
import { namespaceProviders } from './namespace-sharing.js';

// One service: remove the containers beyond its replica count (and duplicates), converge replicas 1..N,
// then restart running containers whose `restart: true` dependency was recreated.

export interface SharedPlans {
  inventory: ContainerInventory;
  images: Map<string, ImagePlan>;
  resources: ResourcePlan;
  gates: DependencyGates;
}

export function planService(context: PlanContext, service: Service, shared: SharedPlans): ServiceOutcome {
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
  const { kept, surplus } = assignReplicas(containers, service.replicas, (number) =>
    containerName(context.project, service, number),
  );
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
  for (let number = 1; number <= service.replicas; number++) {
    replicas.push(planReplica(context, inputs, number, kept.get(number) ?? null));
  }
  planDependencyRestarts(context, service, replicas, gates);
  return {
    replicas,
    recreated: replicas.some((replica) => replica.recreated),
    restarted: replicas.some((replica) => replica.restarted),
  };
}

/** "joined namespaces of db, which is replaced" when a service whose namespaces it shares is recreated. */
function replacedProviderCause(context: PlanContext, service: Service): string | null {
  const replaced = namespaceProviders(service).filter((provider) => context.outcomes.get(provider)?.recreated === true);
  return replaced.length === 0 ? null : `shares namespaces with ${replaced.join(', ')}, which is replaced`;
}
