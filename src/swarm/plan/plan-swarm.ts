import type { DesiredSwarm } from '../mapping/desired-swarm.js';
import { isOwnedBy } from '../model/ownership.js';
import type { ObservedSwarm } from '../observe/observed-swarm.js';
import { specDifferences } from '../drift/compare-spec.js';
import { SPEC_HASH } from '../model/swarm-labels.js';
import { planRemovals } from './plan-removals.js';
import type { SwarmOperation, SwarmPlan } from './swarm-plan.js';

// Desired + observed -> the Swarm plan, with no I/O. Networks, configs and secrets first; a service is
// created or updated after the waits for its dependencies (their tasks running, or a job's completed); a
// service that others wait for, or that changed, is waited for in turn. A service whose spec differs from
// the desired one (changed manifests, or an out-of-band `docker service update`) is updated; Swarm rolls it.

export interface SwarmPlanOptions {
  /** Remove what the project owns and no longer declares (plan-removals.ts); else it is noted and kept. */
  prune: boolean;
}

export function planSwarm(desired: DesiredSwarm, observed: ObservedSwarm, options: SwarmPlanOptions = { prune: false }): SwarmPlan {
  const operations: SwarmOperation[] = [];
  const problems: SwarmPlan['problems'] = [];
  const owned = (labels: Record<string, string>) => isOwnedBy(labels, desired.projectName);
  const networkNames = new Map(observed.networks.map((network) => [network.id, network.name]));

  const setup: string[] = [];
  for (const spec of desired.networks) {
    const resourceId = `network:${spec.Name}`;
    const existing = observed.networks.find((network) => network.name === spec.Name);
    if (existing && !owned(existing.labels)) problems.push({ resourceId, message: 'a network of this name exists and composelet does not own it' });
    if (existing) continue;
    operations.push({ kind: 'create-network', resourceId, cause: 'not found', dependsOn: [], spec });
    setup.push(resourceId);
  }
  for (const spec of desired.fileObjects) {
    const resourceId = `${spec.kind}:${spec.Name}`;
    const existing = (spec.kind === 'secret' ? observed.secrets : observed.configs).find((object) => object.name === spec.Name);
    if (existing) continue;
    operations.push({ kind: 'create-file-object', resourceId, cause: 'not found (content changed or first deploy)', dependsOn: [], spec });
    setup.push(resourceId);
  }

  const changed = new Set<string>();
  const serviceOperations: SwarmOperation[] = [];
  for (const [service, spec] of Object.entries(desired.services).sort(([left], [right]) => left.localeCompare(right))) {
    const resourceId = `service:${spec.Name}`;
    const existing = observed.services.find((candidate) => candidate.name === spec.Name);
    const dependsOn = [...setup, ...desired.dependencies[service]!.map((dependency) => `wait:${desired.services[dependency.service]!.Name}`)];
    if (!existing) {
      serviceOperations.push({ kind: 'create-service', resourceId, cause: 'not found', dependsOn, service, spec });
      changed.add(service);
      continue;
    }
    if (!owned(existing.labels)) {
      problems.push({ resourceId, message: 'a service of this name exists and composelet does not own it' });
      continue;
    }
    const differences = specDifferences(spec, existing, networkNames);
    if (differences.length === 0) continue;
    const cause = `spec differs at ${differences.slice(0, 3).map((difference) => difference.path).join(', ')}${differences.length > 3 ? `, +${differences.length - 3}` : ''}`;
    serviceOperations.push({ kind: 'update-service', resourceId, cause, dependsOn, service, serviceId: existing.id, version: existing.version, spec });
    changed.add(service);
  }

  const awaited = new Set(Object.values(desired.dependencies).flat().map((dependency) => dependency.service));
  const waits: SwarmOperation[] = [];
  for (const service of Object.keys(desired.services).sort()) {
    if (!awaited.has(service) && !changed.has(service)) continue;
    const spec = desired.services[service]!;
    const job = 'ReplicatedJob' in spec.Mode || 'GlobalJob' in spec.Mode;
    const own = serviceOperations.find((operation) => operation.resourceId === `service:${spec.Name}`);
    const previous = observed.services.find((candidate) => candidate.name === spec.Name);
    const rollout = own ? { specHash: spec.Labels[SPEC_HASH]!, previousSpecHash: previous?.labels[SPEC_HASH] ?? null } : {};
    waits.push({
      kind: 'wait-service',
      resourceId: `wait:${spec.Name}`,
      cause: job ? 'its tasks completed' : 'its tasks running (healthy where it has a healthcheck)',
      dependsOn: own ? [own.resourceId] : [],
      service,
      condition: job ? 'completed' : 'running',
      ...rollout,
    });
  }
  // Waits only for services that changed or are awaited by one that changes.
  const needed = new Set<string>();
  for (const operation of serviceOperations) for (const dependency of operation.dependsOn) needed.add(dependency);
  for (const service of changed) needed.add(`wait:${desired.services[service]!.Name}`);
  const neededWaits = waits.filter((wait) => needed.has(wait.resourceId));
  const removals = planRemovals({ desired, observed, prune: options.prune, serviceOperations: [...serviceOperations, ...neededWaits] });
  operations.push(...serviceOperations, ...neededWaits, ...removals.operations);
  return { projectName: desired.projectName, operations, problems, notes: removals.notes };
}
