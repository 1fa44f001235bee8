import type { HealingSettings } from '../../desired-state/model.js';

// Unhealthy containers: restarted once their healthcheck has reported unhealthy for longer than the grace
// period, never while the healthcheck is still starting. Remembers since when each container has been
// seen unhealthy (a new container id starts afresh). Pure: time comes in as `now`.

export class UnhealthyTracker {
  private readonly since = new Map<string, number>();

  /** Record what a reconcile saw; returns how long it has been unhealthy (ms), or null when it is not. */
  observe(containerId: string, health: 'starting' | 'healthy' | 'unhealthy' | null, now: number): number | null {
    if (health !== 'unhealthy') {
      this.since.delete(containerId);
      return null;
    }
    const first = this.since.get(containerId) ?? now;
    this.since.set(containerId, first);
    return now - first;
  }

  /** Should it be restarted now, and when to look again if not yet. */
  decide(unhealthyForMs: number | null, settings: HealingSettings): { restart: boolean; recheckInMs: number | null } {
    if (unhealthyForMs === null || !settings.enabled || !settings.restartUnhealthy) return { restart: false, recheckInMs: null };
    const graceMs = settings.unhealthyGracePeriodNs / 1_000_000;
    if (unhealthyForMs >= graceMs) return { restart: true, recheckInMs: null };
    return { restart: false, recheckInMs: graceMs - unhealthyForMs };
  }

  /** Drop containers that no longer exist. */
  retain(containerIds: ReadonlySet<string>): void {
    for (const id of this.since.keys()) if (!containerIds.has(id)) this.since.delete(id);
  }
}
