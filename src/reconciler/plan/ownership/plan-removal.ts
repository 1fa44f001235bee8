import type { LifecycleHook } from '../../../desired-state/model.js';
import type { ObservedContainer } from '../../observe/observed-state.js';
import type { PlanBuilder } from '../plan-builder.js';
import { DEFAULT_STOP_TIMEOUT_SECONDS } from '../plan-context.js';
import { isRunning } from '../services/plan-replica.js';

// Taking a container away: stop it when it runs, then remove it. Shared by scale-down, duplicates,
// pruned orphans and `down`.

export interface RemovalOptions {
  service: string | null;
  cause: string;
  /** stop_signal of its service; null: the container's own. */
  signal?: string | null;
  timeoutSeconds?: number;
  /** pre_stop hooks of its service; none for a container of no desired service. */
  preStop?: LifecycleHook[];
  /** Only `down --volumes` removes anonymous volumes. */
  removeAnonymousVolumes?: boolean;
  /** What the stop (or the remove, when nothing runs) waits for. */
  dependsOn?: number[];
}

export function addRemoval(
  builder: PlanBuilder,
  container: ObservedContainer,
  options: RemovalOptions,
): { stop: number | null; remove: number } {
  const resourceId = `container:${container.name}`;
  const common = { resourceId, service: options.service, cause: options.cause, container: container.name };
  const stop = isRunning(container)
    ? builder.add({
        ...common,
        kind: 'stop-container',
        dependsOn: options.dependsOn ?? [],
        signal: options.signal ?? null,
        timeoutSeconds: options.timeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS,
        preStop: options.preStop ?? [],
      })
    : null;
  const remove = builder.add({
    ...common,
    kind: 'remove-container',
    dependsOn: stop === null ? (options.dependsOn ?? []) : [stop],
    removeAnonymousVolumes: options.removeAnonymousVolumes ?? false,
  });
  return { stop, remove };
}
