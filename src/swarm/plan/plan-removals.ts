import type { DesiredSwarm } from '../mapping/desired-swarm.js';
import { isOwnedBy } from '../model/ownership.js';
import { FILE_OBJECT_KEY } from '../model/swarm-labels.js';
import type { ObservedSwarm, ObservedSwarmService } from '../observe/observed-swarm.js';
import type { SwarmOperation, SwarmPlan } from './swarm-plan.js';

// What the project owns on the cluster (labels) and no longer declares, with no I/O. A service, network,
// config or secret dropped from the manifests is an orphan: kept and noted, removed only with --prune
// (deletion of what is not in the manifests is opt-in, as on one host). An old version of a config or
// secret (its key still declared, its content-hashed name no longer) is composelet's own: removed always,
// once no service of the project refers to it, i.e. after the waits of the updates that replaced it.
// Objects without composelet's labels are never touched.

export interface RemovalInput {
  desired: DesiredSwarm;
  observed: ObservedSwarm;
  prune: boolean;
  /** The create/update operations of the plan, and its waits. */
  serviceOperations: readonly SwarmOperation[];
}

const KEPT = 'kept; apply with --prune to remove';

export function planRemovals(input: RemovalInput): { operations: SwarmOperation[]; notes: SwarmPlan['notes'] } {
  const { desired, observed, prune } = input;
  const owned = (labels: Record<string, string>) => isOwnedBy(labels, desired.projectName);
  const operations: SwarmOperation[] = [];
  const notes: SwarmPlan['notes'] = [];
  const wanted = new Set(Object.values(desired.services).map((spec) => spec.Name));
  const updated = new Set(input.serviceOperations.filter((operation) => operation.kind === 'update-service').map((operation) => operation.resourceId));

  const removedServices = new Set<string>();
  for (const service of observed.services.filter((candidate) => owned(candidate.labels) && !wanted.has(candidate.name))) {
    const resourceId = `service:${service.name}`;
    if (!prune) {
      notes.push({ resourceId, message: `orphan (service no longer in the manifests): ${KEPT}` });
      continue;
    }
    removedServices.add(service.name);
    operations.push({ kind: 'remove-service', resourceId, cause: 'orphan: service no longer in the manifests', dependsOn: [], service: service.name, serviceId: service.id });
  }

  const declaredNetworks = new Set(desired.networks.map((network) => network.Name));
  const afterServices = [...input.serviceOperations.filter((operation) => operation.kind !== 'wait-service'), ...operations].map((operation) => operation.resourceId);
  for (const network of observed.networks.filter((candidate) => owned(candidate.labels) && !declaredNetworks.has(candidate.name))) {
    const resourceId = `network:${network.name}`;
    if (!prune) notes.push({ resourceId, message: `orphan (network no longer in the manifests): ${KEPT}` });
    else operations.push({ kind: 'remove-network', resourceId, cause: 'orphan: network no longer in the manifests', dependsOn: afterServices, networkId: network.id });
  }

  const declaredKeys = new Set(desired.fileObjects.map((spec) => `${spec.kind}:${spec.Labels[FILE_OBJECT_KEY]}`));
  const declaredNames = new Set(desired.fileObjects.map((spec) => spec.Name));
  for (const fileKind of ['config', 'secret'] as const) {
    for (const object of (fileKind === 'config' ? observed.configs : observed.secrets).filter((candidate) => owned(candidate.labels) && !declaredNames.has(candidate.name))) {
      const resourceId = `${fileKind}:${object.name}`;
      const oldVersion = declaredKeys.has(`${fileKind}:${object.labels[FILE_OBJECT_KEY]}`);
      if (!oldVersion && !prune) {
        notes.push({ resourceId, message: `orphan (${fileKind} no longer in the manifests): ${KEPT}` });
        continue;
      }
      const dependsOn: string[] = [];
      const keptBy: string[] = [];
      for (const user of observed.services.filter((service) => refersTo(service, fileKind, object.name))) {
        if (removedServices.has(user.name)) dependsOn.push(`service:${user.name}`);
        else if (updated.has(`service:${user.name}`)) dependsOn.push(`wait:${user.name}`);
        else keptBy.push(user.name);
      }
      if (keptBy.length > 0) {
        notes.push({ resourceId, message: `${oldVersion ? 'old version' : 'orphan'}: kept while ${keptBy.join(', ')} use${keptBy.length === 1 ? 's' : ''} it` });
        continue;
      }
      const cause = oldVersion ? `old version of ${fileKind} ${object.labels[FILE_OBJECT_KEY]}: replaced, no service uses it` : `orphan: ${fileKind} no longer in the manifests`;
      operations.push({ kind: 'remove-file-object', resourceId, cause, dependsOn, fileKind, objectId: object.id });
    }
  }
  return { operations, notes };
}

/** Whether the service's spec (as the engine holds it) mounts the config or secret of that name. */
export function refersTo(service: Pick<ObservedSwarmService, 'spec'>, fileKind: 'config' | 'secret', name: string): boolean {
  const template = service.spec['TaskTemplate'] as { ContainerSpec?: { Configs?: Array<{ ConfigName?: string }>; Secrets?: Array<{ SecretName?: string }> } } | undefined;
  const container = template?.ContainerSpec;
  if (fileKind === 'config') return (container?.Configs ?? []).some((reference) => reference.ConfigName === name);
  return (container?.Secrets ?? []).some((reference) => reference.SecretName === name);
}
