// A suspension: an operator's "hands off" for one service or a whole project (service null), by whom, why
// and until when (null: until resumed). While one is active the controller neither heals, recreates nor
// deploys what it covers, and apply skips it; everything else goes on. Pure helpers, no I/O.

export interface Suspension {
  project: string;
  /** null: the whole project. */
  service: string | null;
  /** `user@host` of who suspended it. */
  by: string;
  reason: string;
  /** ISO 8601, UTC. */
  since: string;
  /** ISO 8601, UTC; null: until resumed. */
  until: string | null;
}

/** One hour: no suspension is left without an end unless `--until-resumed` says so. */
export const DEFAULT_SUSPENSION_MS = 60 * 60 * 1000;

export function isActive(suspension: Suspension, now: number): boolean {
  return suspension.until === null || Date.parse(suspension.until) > now;
}

export function activeSuspensions(suspensions: readonly Suspension[], now: number): Suspension[] {
  return suspensions.filter((suspension) => isActive(suspension, now));
}

/** "suspended by ops@host until 2026-01-01T10:00:00.000Z: database maintenance" */
export function describeSuspension(suspension: Suspension): string {
  const until = suspension.until === null ? 'resumed' : suspension.until;
  return `suspended by ${suspension.by} until ${until}: ${suspension.reason}`;
}

/** What the planner holds: the whole project (with why), or service -> why. */
export interface SuspendedScope {
  project: string | null;
  services: Record<string, string>;
}

/** The active suspensions of a project as the planner's input; a project-wide one covers every service. */
export function suspendedScope(serviceNames: readonly string[], suspensions: readonly Suspension[], now: number): SuspendedScope {
  const active = activeSuspensions(suspensions, now);
  const whole = active.find((suspension) => suspension.service === null);
  const services: Record<string, string> = {};
  for (const name of serviceNames) {
    const covering = whole ?? active.find((suspension) => suspension.service === name);
    if (covering) services[name] = describeSuspension(covering);
  }
  return { project: whole ? describeSuspension(whole) : null, services };
}

/** Milliseconds until the next active suspension ends, or null when none ends by itself. */
export function nextExpiryInMs(suspensions: readonly Suspension[], now: number): number | null {
  const ends = activeSuspensions(suspensions, now)
    .map((suspension) => (suspension.until === null ? null : Date.parse(suspension.until) - now))
    .filter((delay): delay is number => delay !== null);
  return ends.length === 0 ? null : Math.max(0, Math.min(...ends));
}

/** The suspensions after suspending `services` (none: the whole project): a new one replaces an older one
 * for the same target; expired ones are dropped. */
export function withSuspension(existing: readonly Suspension[], added: Suspension, now: number): Suspension[] {
  return [...activeSuspensions(existing, now).filter((suspension) => suspension.service !== added.service), added].sort(byTarget);
}

/** The suspensions after resuming `services` (empty: everything of the project), and the ones resumed. */
export function withoutSuspensions(existing: readonly Suspension[], services: readonly string[], now: number): { kept: Suspension[]; resumed: Suspension[] } {
  const active = activeSuspensions(existing, now);
  const resumes = (suspension: Suspension) => services.length === 0 || (suspension.service !== null && services.includes(suspension.service));
  return { kept: active.filter((suspension) => !resumes(suspension)), resumed: active.filter(resumes) };
}

function byTarget(left: Suspension, right: Suspension): number {
  return (left.service ?? '').localeCompare(right.service ?? '');
}
