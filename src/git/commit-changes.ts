import type { FailedRollout } from '../state/failed-rollouts.js';

// Which commit a failed rollout blames (pure). When a commit is validated, each project's services are
// hashed as the controller would hash them; the services whose hash differs from the commit in force
// before it (or that are new) are what the commit changed. A rollout failure blames the commit in force
// only when the failed service is one it changed, with the very spec hash the commit brought: a failure
// of a service it did not change (or of a spec that came from elsewhere, e.g. a --secrets-dir edit) never
// quarantines a long-good commit.

/** project name -> service -> spec hash. */
export type SpecHashes = Record<string, Record<string, string>>;

/** The services of `after` whose spec hash is not the one in `before` (every service when before is null). */
export function changedServices(before: SpecHashes | null, after: SpecHashes): SpecHashes {
  const changed: SpecHashes = {};
  for (const [project, services] of Object.entries(after)) {
    const entries = Object.entries(services).filter(([service, hash]) => before?.[project]?.[service] !== hash);
    if (entries.length > 0) changed[project] = Object.fromEntries(entries);
  }
  return changed;
}

/** The projects a commit touches: those where it changed a service or that it removed or added. */
export function touchedProjects(before: SpecHashes | null, after: SpecHashes): string[] {
  const changed = Object.keys(changedServices(before, after));
  const removedServices = Object.entries(before ?? {})
    .filter(([project, services]) => Object.keys(services).some((service) => after[project]?.[service] === undefined))
    .map(([project]) => project);
  return [...new Set([...changed, ...removedServices])].sort();
}

export interface Blame {
  service: string;
  reason: string;
}

/** The first (by name) failed service of `projectName` whose failed spec is the one the commit changed it
 * to, with the quarantine reason; null when the commit is not to blame. */
export function blameRolloutFailure(changed: SpecHashes, projectName: string, failed: Readonly<Record<string, Pick<FailedRollout, 'specHash' | 'reason'>>>): Blame | null {
  const services = changed[projectName] ?? {};
  const service = Object.keys(failed)
    .sort()
    .find((name) => services[name] !== undefined && services[name] === failed[name]!.specHash);
  return service === undefined ? null : { service, reason: rolloutQuarantineReason(service, failed[service]!.reason) };
}

/** "rollout of api failed: new container exited (1) after 0.4 s": the remembered failure without its
 * "rolled back api: " lead, which would say the service twice. */
export function rolloutQuarantineReason(service: string, failureReason: string): string {
  const lead = `rolled back ${service}`;
  let evidence = failureReason;
  if (failureReason.startsWith(lead)) {
    const colon = failureReason.indexOf(': ', lead.length);
    if (colon !== -1 && /^( \(replica \d+\))?$/.test(failureReason.slice(lead.length, colon))) evidence = failureReason.slice(colon + 2);
  }
  return `rollout of ${service} failed: ${evidence}`;
}
