import type { Service } from '../../../desired-state/model.js';
import type { PlanContext, ReplicaOutcome } from '../plan-context.js';
import { stopTimeoutSeconds } from '../plan-context.js';

// `depends_on: {db: {restart: true}}`: when db is recreated (or restarted by healing), the dependent's running containers are
// restarted (stop, then start) once db is ready again, so they reconnect to the new one. Containers the
// plan already creates or starts wait for db anyway and need no restart.

export function planDependencyRestarts(
  context: PlanContext,
  service: Service,
  replicas: ReplicaOutcome[],
  gates: () => number[],
): void {
  const changed = Object.entries(service.dependsOn)
    .filter(([, dependency]) => dependency.restart)
    .map(([name]) => ({ name, outcome: context.outcomes.get(name) }))
    .filter(({ outcome }) => outcome?.recreated === true || outcome?.restarted === true);
  if (changed.length === 0) return;
  const cause = `dependency ${changed
    .map(({ name, outcome }) => `${name} was ${outcome?.recreated ? 'recreated' : 'restarted'}`)
    .join(', ')}`;
  for (const replica of replicas) {
    if (!replica.restartable) continue;
    const common = { resourceId: `container:${replica.name}`, service: service.name, cause, container: replica.name };
    const stop = context.builder.add({
      ...common,
      kind: 'stop-container',
      dependsOn: gates(),
      signal: service.stopSignal,
      timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
      preStop: service.preStop,
    });
    replica.startOperation = context.builder.add({ ...common, kind: 'start-container', dependsOn: [stop], postStart: service.postStart });
    replica.restartable = false;
  }
}
