import type { Service } from '../desired-state/model.js';
import type { PlanContext, ReplicaOutcome } from './plan-context.js';
import { stopTimeoutSeconds } from './plan-context.js';

// `depends_on: {db: {restart: true}}`: when db is recreated, the dependent's running containers are
// restarted (stop, then start) once db is ready again, so they reconnect to the new one. Containers the
// plan already creates or starts wait for db anyway and need no restart.

export function planDependencyRestarts(
  context: PlanContext,
  service: Service,
  replicas: ReplicaOutcome[],
  gates: () => number[],
): void {
  const recreated = Object.entries(service.dependsOn)
    .filter(([name, dependency]) => dependency.restart && context.outcomes.get(name)?.recreated === true)
    .map(([name]) => name);
  if (recreated.length === 0) return;
  const cause = `dependency ${recreated.join(', ')} was recreated`;
  for (const replica of replicas) {
    if (!replica.restartable) continue;
    const common = { resourceId: `container:${replica.name}`, service: service.name, cause, container: replica.name };
    const stop = context.builder.add({
      ...common,
      kind: 'stop-container',
      dependsOn: gates(),
      signal: service.stopSignal,
      timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
    });
    replica.startOperation = context.builder.add({ ...common, kind: 'start-container', dependsOn: [stop] });
    replica.restartable = false;
  }
}
