import { hostname } from 'node:os';
import type { BackupEngine } from './backup-engine.js';
import { HELPER_LABEL, HELPER_OWNER_LABEL } from './strategies/strategy.js';
import { isProcessAlive } from './process-alive.js';

// Throwaway containers (verify checks, restore drills, volume copies, restores) are removed by the run
// that made them, in a `finally`; a process killed in the middle leaves them behind. They are swept when
// the controller or a `backup` command starts: only containers with composelet's helper label, and only
// those whose maker is gone (a dead pid on this host), so another process's verify running right now is
// never touched. Helpers of other hosts sharing the engine are theirs to sweep. Helpers from before the
// owner label are swept once they are an hour old (no check or drill takes that long).

export const UNOWNED_HELPER_AGE_MS = 60 * 60 * 1000;

export interface HelperFacts {
  labels: Readonly<Record<string, string>>;
  /** Epoch ms. */
  createdMs: number;
}

export interface SweepContext {
  host: string;
  nowMs: number;
  /** Whether a process with this pid runs on this host. */
  isAlive: (pid: number) => boolean;
}

/** Why this helper is left over (and may be removed), or null when it must be kept. */
export function leftOverReason(helper: HelperFacts, context: SweepContext): string | null {
  if (helper.labels[HELPER_LABEL] === undefined) return null; // not a composelet helper
  const owner = helper.labels[HELPER_OWNER_LABEL];
  if (owner === undefined) {
    const ageMs = context.nowMs - helper.createdMs;
    return ageMs >= UNOWNED_HELPER_AGE_MS ? `made by an older composelet ${Math.round(ageMs / 60_000)} min ago` : null;
  }
  const match = /^(\d+)@(.+)$/.exec(owner);
  if (!match) return null;
  const [, pid, host] = match;
  if (host !== context.host) return null;
  return context.isAlive(Number(pid)) ? null : `its process ${pid} on ${host} is gone`;
}

export interface SweptHelper {
  containerId: string;
  name: string;
  project: string;
  reason: string;
}

/** Removes the helper containers killed runs left behind; returns what it removed. */
export async function sweepHelperContainers(engine: Pick<BackupEngine, 'listContainers' | 'removeContainer'>, context: Partial<SweepContext> = {}): Promise<SweptHelper[]> {
  const full: SweepContext = { host: context.host ?? hostname(), nowMs: context.nowMs ?? Date.now(), isAlive: context.isAlive ?? isProcessAlive };
  const swept: SweptHelper[] = [];
  for (const summary of await engine.listContainers({ label: [HELPER_LABEL] })) {
    const reason = leftOverReason({ labels: summary.Labels ?? {}, createdMs: summary.Created * 1000 }, full);
    if (reason === null) continue;
    try {
      await engine.removeContainer(summary.Id, { force: true, removeVolumes: true }); // anonymous ones only: named volumes stay
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      continue; // removed meanwhile
    }
    swept.push({ containerId: summary.Id, name: (summary.Names[0] ?? summary.Id).replace(/^\//, ''), project: summary.Labels?.[HELPER_LABEL] ?? '', reason });
  }
  return swept;
}

