import type { Project } from '../desired-state/model.js';
import type { BackupEngine } from './backup-engine.js';
import type { BackupDefinition } from './definitions/definition.js';
import { resolveBackupDefinitions, type ResolveOptions } from './definitions/resolve.js';
import { runBackup, type BackupResult, type RunBackupOptions } from './run-backup.js';
import { serviceContainers } from './service-containers.js';

// Before apply or the controller recreates a service that has a backup definition, a fresh backup (on by
// default; `before_recreate: false` opts out). A failed backup means: do not recreate, and say why. A
// service with no container, or (for exec and redis, which need the server) none running, has nothing a
// recreate could lose that a backup could take now: the recreate may go ahead.

export interface PreRecreateOutcome {
  service: string;
  /** backed-up and not-needed allow the recreate; failed forbids it. */
  status: 'backed-up' | 'not-needed' | 'failed';
  reason: string;
  results: BackupResult[];
}

export interface PreRecreateOptions extends ResolveOptions, Pick<RunBackupOptions, 'signal' | 'now'> {}

export async function backupBeforeRecreate(engine: BackupEngine, project: Project, serviceNames: readonly string[], options: PreRecreateOptions = {}): Promise<Record<string, PreRecreateOutcome>> {
  const { definitions } = resolveBackupDefinitions(project, options);
  const outcomes: Record<string, PreRecreateOutcome> = {};
  for (const service of serviceNames) {
    outcomes[service] = await backupService(engine, project, service, definitions.filter((definition) => definition.service === service), options);
  }
  return outcomes;
}

async function backupService(engine: BackupEngine, project: Project, service: string, definitions: BackupDefinition[], options: PreRecreateOptions): Promise<PreRecreateOutcome> {
  const wanted = definitions.filter((definition) => definition.beforeRecreate);
  if (wanted.length === 0) {
    return { service, status: 'not-needed', reason: definitions.length === 0 ? 'no backup definition' : 'before_recreate is off', results: [] };
  }
  const containers = await serviceContainers(engine, project.name, service);
  const running = containers.some((container) => container.running);
  const runnable = wanted.filter((definition) => (definition.strategy === 'exec' || definition.strategy === 'redis' ? running : containers.length > 0 || definition.strategy === 'volume'));
  if (runnable.length === 0) {
    return { service, status: 'not-needed', reason: containers.length === 0 ? 'no container to back up' : 'not running: nothing to dump', results: [] };
  }
  const results: BackupResult[] = [];
  for (const definition of runnable) {
    results.push(await runBackup(engine, project, definition, { trigger: 'before-recreate', ...(options.signal ? { signal: options.signal } : {}), ...(options.now ? { now: options.now } : {}) }));
  }
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    return { service, status: 'failed', reason: failed.map((result) => `backup ${result.definition}: ${result.error}`).join('; '), results };
  }
  return { service, status: 'backed-up', reason: results.map((result) => `backup ${result.definition}: ${result.artifactPath}`).join('; '), results };
}
