import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';

// Specs whose rollout failed, by project and service, so nothing retries them in a loop: the controller
// leaves such a service as it runs until its spec changes, and `apply` refuses it (exit 1, touching
// nothing) unless `--retry-failed`. Kept in the state directory (one file per project, written atomically,
// mode 0600), so a restart remembers. A later success of the service forgets it.

export interface FailedRollout {
  /** The spec hash that failed. */
  specHash: string;
  /** The spec hash that runs instead (the old container's). */
  previousSpecHash: string | null;
  reason: string;
  /** ISO time of the failure. */
  at: string;
  /** `paused`: failure_action: pause stopped the rollout (the batches before the failed one run the new
   * spec); absent: rolled back. */
  state?: 'paused';
}

export type FailedRollouts = Record<string, FailedRollout>;

function pathOf(stateDir: string, projectName: string): string {
  return join(stateDir, 'rollouts', `${projectName}.failed.json`);
}

export async function readFailedRollouts(stateDir: string, projectName: string): Promise<FailedRollouts> {
  return (await readJsonFile<FailedRollouts>(pathOf(stateDir, projectName))) ?? {};
}

/** Records failures and forgets services whose rollout succeeded; writes only when something changed. */
export async function updateFailedRollouts(
  stateDir: string,
  projectName: string,
  changes: { failed: Record<string, FailedRollout>; succeeded: string[] },
): Promise<FailedRollouts> {
  const current = await readFailedRollouts(stateDir, projectName);
  const next: FailedRollouts = { ...current, ...changes.failed };
  for (const service of changes.succeeded) delete next[service];
  if (JSON.stringify(next) !== JSON.stringify(current)) await writeFileAtomic(pathOf(stateDir, projectName), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

/** The services of `specHashes` (service -> desired spec hash) whose desired spec failed before. */
export function failedSpecs(remembered: FailedRollouts, specHashes: Record<string, string>): Record<string, FailedRollout> {
  return Object.fromEntries(Object.entries(remembered).filter(([service, failure]) => specHashes[service] === failure.specHash));
}
