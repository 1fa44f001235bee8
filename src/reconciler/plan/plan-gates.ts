import type { DependencyCondition, Service } from '../../desired-state/model.js';
import type { WaitCondition } from './plan.js';
import type { PlanContext, ReplicaOutcome } from './plan-context.js';
import { namespaceProviders } from './namespace-sharing.js';
import { ids } from './plan-builder.js';

// What a service's containers wait for before they are created or started, one per depends_on entry:
// service_started waits for the starts planned for the dependency (none planned: nothing to wait for);
// service_healthy and service_completed_successfully wait on each of the dependency's containers with a
// `wait` operation. Waits are planned only when a dependent has something to run, once per container and
// condition, even when the dependency already runs: the executor passes them at once. A service joining
// another's namespaces (`network_mode: service:x`) also waits for the starts planned for x.

const WAIT_CONDITIONS: Record<Exclude<DependencyCondition, 'service_started'>, WaitCondition> = {
  service_healthy: 'healthy',
  service_completed_successfully: 'completed-successfully',
};

export class DependencyGates {
  private readonly byService = new Map<string, number[]>();
  private readonly waits = new Map<string, number>();

  constructor(private readonly context: PlanContext) {}

  /** Operation ids a service's creates and starts depend on; plans the waits on first use. */
  for(service: Service): number[] {
    const known = this.byService.get(service.name);
    if (known) return known;
    const gates: number[] = [];
    for (const [dependencyName, dependency] of Object.entries(service.dependsOn)) {
      const outcome = this.context.outcomes.get(dependencyName);
      if (!outcome) continue;
      for (const replica of outcome.replicas) {
        if (dependency.condition === 'service_started') {
          if (replica.startOperation !== null) gates.push(replica.startOperation);
          continue;
        }
        gates.push(this.waitOn(dependencyName, replica, WAIT_CONDITIONS[dependency.condition], service.name, dependency.condition));
      }
    }
    for (const provider of namespaceProviders(service)) {
      for (const replica of this.context.outcomes.get(provider)?.replicas ?? []) {
        if (replica.startOperation !== null) gates.push(replica.startOperation);
      }
    }
    this.byService.set(service.name, gates);
    return gates;
  }

  private waitOn(
    dependencyName: string,
    replica: ReplicaOutcome,
    condition: WaitCondition,
    dependent: string,
    declared: DependencyCondition,
  ): number {
    const key = `${replica.name}\u0000${condition}`;
    const known = this.waits.get(key);
    if (known !== undefined) return known;
    const id = this.context.builder.add({
      kind: 'wait',
      resourceId: `container:${replica.name}`,
      service: dependencyName,
      cause: `needed by ${dependent}: ${declared}`,
      // A rollout's replacement releases its dependents once it proved itself, not when it starts.
      dependsOn: ids(replica.provenOperation ?? replica.startOperation),
      container: replica.name,
      condition,
      timeoutSeconds: this.context.options.waitTimeoutSeconds ?? null,
    });
    this.waits.set(key, id);
    return id;
  }
}
