import { currentUser } from '../../audit/audit-entry.js';
import { activeSuspensions, type Suspension } from './suspension.js';
import { readSuspensions, writeSuspensions } from './suspension-store.js';

// A command that stops and starts services itself (restart) holds the controller off them while it runs:
// it suspends them for its own duration (bounded: if the command dies, the hold ends by itself), and lifts
// only its own hold at the end; an operator's suspension of the same services stays as it was.

export interface Hold {
  release(): Promise<void>;
}

export async function holdServices(stateDir: string, projectName: string, services: readonly string[], options: { reason: string; forMs: number; now?: number }): Promise<Hold> {
  const now = options.now ?? Date.now();
  const existing = await readSuspensions(stateDir, projectName);
  const active = activeSuspensions(existing, now);
  const held = services.filter((service) => !active.some((suspension) => suspension.service === service || suspension.service === null));
  const ours: Suspension[] = held.map((service) => ({
    project: projectName,
    service,
    by: currentUser(),
    reason: options.reason,
    since: new Date(now).toISOString(),
    until: new Date(now + options.forMs).toISOString(),
  }));
  if (ours.length > 0) await writeSuspensions(stateDir, projectName, [...active, ...ours]);
  const isOurs = (suspension: Suspension) => ours.some((own) => own.service === suspension.service && own.since === suspension.since && own.reason === suspension.reason);
  return {
    async release() {
      if (ours.length === 0) return;
      const now = await readSuspensions(stateDir, projectName);
      await writeSuspensions(stateDir, projectName, now.filter((suspension) => !isOurs(suspension)));
    },
  };
}
