import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';

// Containers the engine refuses to start after its restart (`task <id>: already exists`, moby/moby#36145):
// starting them again never helps, so the controller remembers them, by container id, and the next plan
// recreates them (a healing directive). A container that is gone (recreated, removed) is forgotten. Pure;
// stale-task-record.ts keeps it in the state directory, so a restarted controller does not try the start again.

export const STALE_TASK_REASON = 'the engine refuses to start it after its restart: task already exists';

export class StaleTaskTracker {
  protected readonly refused: Set<string>;

  constructor(containerIds: Iterable<string> = []) {
    this.refused = new Set(containerIds);
  }

  /** The remembered container ids, sorted. */
  containerIds(): string[] {
    return [...this.refused].sort();
  }

  /** A start of this container failed with the stale-task error. */
  record(containerId: string): void {
    this.refused.add(containerId);
  }

  /** Forgets containers that no longer exist; container name -> why, for the ones still there. */
  directives(owned: readonly ObservedContainer[]): Record<string, string> {
    const present = new Set(owned.map((container) => container.id));
    for (const id of this.refused) if (!present.has(id)) this.refused.delete(id);
    const recreate: Record<string, string> = {};
    for (const container of owned) if (this.refused.has(container.id)) recreate[container.name] = STALE_TASK_REASON;
    return recreate;
  }
}
