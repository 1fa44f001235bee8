import type { Logger } from 'pino';
import type { Project } from '../../desired-state/model.js';
import { nextExpiryInMs, suspendedScope, type SuspendedScope, type Suspension } from './suspension.js';
import { readSuspensions } from './suspension-store.js';

// What the controller's reconcile (and apply) takes from the suspension file each time it looks: the scope
// the planner holds, and when the earliest suspension ends (the reconcile looks again then, so an expired
// suspension heals without waiting for the resync). Read at every reconcile: a running controller sees a
// suspend or a resume without a restart.

export interface SuspensionInputs {
  suspensions: Suspension[];
  scope: SuspendedScope;
  recheckInMs: number | null;
}

export async function suspensionInputs(stateDir: string, project: Project, options: { now: number; logger?: Logger }): Promise<SuspensionInputs> {
  let suspensions: Suspension[] = [];
  try {
    suspensions = await readSuspensions(stateDir, project.name);
  } catch (error) {
    // A torn or foreign file holds nothing: healing is the safe default, and the log says why.
    options.logger?.warn({ error: error instanceof Error ? error.message : error }, 'suspensions unreadable: ignored');
  }
  return {
    suspensions,
    scope: suspendedScope(Object.keys(project.services), suspensions, options.now),
    recheckInMs: nextExpiryInMs(suspensions, options.now),
  };
}

/** The earlier of two "look again in" delays (null: never). */
export function earliest(...delays: Array<number | null>): number | null {
  const known = delays.filter((delay): delay is number => delay !== null);
  return known.length === 0 ? null : Math.min(...known);
}
