import { join } from 'node:path';
import type { Service } from '../desired-state/model.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { withholdSecrets, type StoredSpec } from './withheld-secrets.js';

// The spec each service runs and the one it ran before, kept as data so `composelet rollback` can go back
// to the previous spec without the old container (it is gone once a rollout succeeded). A spec holds
// environment values, so it lives in the state directory (one file per project, written atomically, mode
// 0600), never in labels, and its secret values are withheld (withheld-secrets.ts): filled from the spec in
// force when a rollback uses it. Updated after every run: a service whose new containers all came up takes the
// desired spec as current, and the current one before it becomes the previous.

export interface DeployedSpecs {
  current: StoredSpec;
  previous: StoredSpec | null;
}

export type ProjectSpecs = Record<string, DeployedSpecs>;

function pathOf(stateDir: string, projectName: string): string {
  return join(stateDir, 'rollouts', `${projectName}.previous.json`);
}

export async function readDeployedSpecs(stateDir: string, projectName: string): Promise<ProjectSpecs> {
  const read = (await readJsonFile<ProjectSpecs>(pathOf(stateDir, projectName))) ?? {};
  // Entries of another shape (written before secrets were withheld) are not trusted: nothing to go back to.
  return Object.fromEntries(Object.entries(read).filter(([, entry]) => entry?.current?.spec !== undefined && Array.isArray(entry.current.withheld)));
}

/** What the file holds after `deployed` (services whose desired spec now runs) came up (pure). */
export function nextDeployedSpecs(current: ProjectSpecs, deployed: readonly Service[]): ProjectSpecs {
  const next: ProjectSpecs = { ...current };
  for (const service of deployed) {
    const before = current[service.name];
    if (before?.current.spec.specHash === service.specHash) continue;
    next[service.name] = { current: withholdSecrets(service), previous: before?.current ?? null };
  }
  return next;
}

/** Records the services now running their desired spec; writes only when something changed. */
export async function recordDeployedSpecs(stateDir: string, projectName: string, deployed: readonly Service[]): Promise<void> {
  if (deployed.length === 0) return;
  const current = await readDeployedSpecs(stateDir, projectName);
  const next = nextDeployedSpecs(current, deployed);
  if (JSON.stringify(next) !== JSON.stringify(current)) await writeFileAtomic(pathOf(stateDir, projectName), `${JSON.stringify(next, null, 2)}\n`);
}

/** The images of every kept spec (current and previous), for `gc` to keep. */
export function imagesOfSpecs(specs: ProjectSpecs): string[] {
  return Object.values(specs).flatMap((entry) => [entry.current.spec.image, entry.previous?.spec.image ?? null]).filter((image): image is string => image !== null);
}
