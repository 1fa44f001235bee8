import type { Project, Service } from '../../desired-state/model.js';
import type { ObservedContainer, ObservedState } from '../../reconciler/observe/observed-state.js';
import { hasCompleted, isOneShot } from '../../reconciler/one-shot.js';
import { PlanBuilder } from '../../reconciler/plan/plan-builder.js';
import { stopTimeoutSeconds } from '../../reconciler/plan/plan-context.js';
import type { Plan } from '../../reconciler/plan/plan.js';

// `composelet restart` as a plan (no I/O): the services to restart grouped by dependency level; stops in
// reverse order (dependents first, each level after the one above it), then starts level by level, each
// start waiting until the level below is healthy (running, without a healthcheck). The executor runs it
// like any plan: a failed start or wait skips everything after it, so the sequence stops where it failed.
// Nothing is created: a service without a container is a problem ("run apply").

export interface RestartRequest {
  /** The services named; none: the whole project (complete-system recovery). */
  services: readonly string[];
  /** Also every service that depends on them, directly or not. */
  withDependents: boolean;
  waitTimeoutSeconds: number;
}

/** The services a restart covers, by dependency level (dependencies first, names sorted in a level). */
export function restartLevels(project: Project, request: Pick<RestartRequest, 'services' | 'withDependents'>): string[][] {
  const chosen = new Set(request.services.length === 0 ? Object.keys(project.services) : request.services);
  if (request.withDependents) {
    const queue = [...chosen];
    while (queue.length > 0) {
      for (const dependent of project.graph.dependents[queue.pop()!] ?? []) {
        if (!chosen.has(dependent)) {
          chosen.add(dependent);
          queue.push(dependent);
        }
      }
    }
  }
  return project.graph.levels
    .map((level) => level.filter((name) => chosen.has(name)))
    .filter((level) => level.length > 0);
}

export function planRestart(project: Project, observed: ObservedState, request: RestartRequest): Plan {
  const builder = new PlanBuilder(project.name);
  const levels = restartLevels(project, request);
  // A one-shot that completed is not run again (a migration that ran stays done).
  const completed = (container: ObservedContainer) => isOneShot(project.services[container.service ?? '']!) && hasCompleted(container);
  const containersOf = (service: string) =>
    observed.containers
      .filter((container) => container.owned && container.service === service && !completed(container))
      .sort((left, right) => (left.number ?? 0) - (right.number ?? 0));
  const isCompleted = (service: string) => observed.containers.some((container) => container.owned && container.service === service && completed(container));
  for (const service of levels.flat()) {
    if (containersOf(service).length === 0 && isCompleted(service)) builder.note({ resourceId: `service:${service}`, message: 'a one-shot that completed: not run again' });
    else if (containersOf(service).length === 0) builder.problem({ service, resourceId: `service:${service}`, message: `${service} has no container to restart: run 'composelet apply' first` });
  }
  const cause = request.services.length === 0 ? 'restart: complete-system recovery' : `restart of ${request.services.join(', ')}${request.withDependents ? ' with dependents' : ''}`;

  let stopsAbove: number[] = [];
  const allStops: number[] = [];
  for (const level of [...levels].reverse()) {
    const stops: number[] = [];
    for (const name of level) {
      const service = project.services[name]!;
      for (const container of containersOf(name).filter((candidate) => candidate.state === 'running' || candidate.state === 'restarting' || candidate.state === 'paused')) {
        stops.push(
          builder.add({
            kind: 'stop-container',
            resourceId: `container:${container.name}`,
            service: name,
            cause,
            dependsOn: stopsAbove,
            container: container.name,
            signal: service.stopSignal,
            timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
            preStop: service.preStop,
          }),
        );
      }
    }
    if (stops.length > 0) stopsAbove = stops;
    allStops.push(...stops);
  }

  let levelBelow: number[] = allStops;
  for (const level of levels) {
    const waits: number[] = [];
    for (const name of level) {
      const service = project.services[name]!;
      for (const container of containersOf(name)) {
        const start = builder.add({ kind: 'start-container', resourceId: `container:${container.name}`, service: name, cause, dependsOn: levelBelow, container: container.name, postStart: service.postStart });
        waits.push(
          builder.add({
            kind: 'wait',
            resourceId: `container:${container.name}`,
            service: name,
            cause: `${cause}: level ${levels.indexOf(level)} before the next`,
            dependsOn: [start],
            container: container.name,
            condition: hasHealthcheck(service, container) ? 'healthy' : 'running',
            timeoutSeconds: request.waitTimeoutSeconds,
          }),
        );
      }
    }
    if (waits.length > 0) levelBelow = waits;
  }
  return builder.build();
}

function hasHealthcheck(service: Service, container: ObservedContainer): boolean {
  if (service.healthcheck !== null) return service.healthcheck.test[0] !== 'NONE';
  return container.health !== null;
}
