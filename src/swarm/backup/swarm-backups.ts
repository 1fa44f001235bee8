import { hostname } from 'node:os';
import { createBackupEngine, type BackupEngine } from '../../backup/backup-engine.js';
import { leftOverReason } from '../../backup/helper-sweep.js';
import { isProcessAlive } from '../../backup/process-alive.js';
import { HELPER_LABEL } from '../../backup/strategies/strategy.js';
import type { Project } from '../../desired-state/model.js';
import { targetOf } from '../target.js';
import { createDockerodeSwarmBackup } from './dockerode-swarm-backup.js';
import { createSwarmBackupEngine } from './swarm-backup-engine.js';
import type { SwarmBackupPort } from './swarm-backup-port.js';

// The one place the backup command and the controller turn their engine into one that also reaches Swarm
// projects' tasks (swarm-backup-engine.ts); with no Swarm project among the projects, the engine as it is.

export interface SwarmBackupSetup {
  /** The manager (DOCKER_HOST or the default socket). */
  dockerHost?: string;
  /** The projects, or a function returning the current ones (the controller's change). */
  projects: readonly Project[] | (() => readonly Project[]);
  /** Node hostname -> engine address (node-engines.ts). */
  nodeEngines: ReadonlyMap<string, string>;
  /** For tests: the manager's port. */
  port?: SwarmBackupPort;
}

export function withSwarmBackups(local: BackupEngine, setup: SwarmBackupSetup): BackupEngine {
  const projects = typeof setup.projects === 'function' ? setup.projects : () => setup.projects as readonly Project[];
  const nodeEngines = new Map<string, BackupEngine>();
  return createSwarmBackupEngine({
    local,
    swarm: setup.port ?? createDockerodeSwarmBackup(setup.dockerHost === undefined ? {} : { dockerHost: setup.dockerHost }),
    isSwarmProject: (projectName) => projects().some((project) => project.name === projectName && targetOf(project) === 'swarm'),
    nodeEngine(nodeHostname) {
      const address = setup.nodeEngines.get(nodeHostname);
      if (address === undefined) return null;
      if (!nodeEngines.has(nodeHostname)) nodeEngines.set(nodeHostname, createBackupEngine({ dockerHost: address }));
      return nodeEngines.get(nodeHostname)!;
    },
  });
}

export function hasSwarmProject(projects: readonly Project[]): boolean {
  return projects.some((project) => targetOf(project) === 'swarm');
}

/** Backup jobs a killed run left on the cluster (its process on this host is gone): removed, as helper
 * containers are (helper-sweep.ts). Returns their names. */
export async function sweepSwarmBackupJobs(port: SwarmBackupPort, context: { host?: string; nowMs?: number; isAlive?: (pid: number) => boolean } = {}): Promise<string[]> {
  const sweepContext = { host: context.host ?? hostname(), nowMs: context.nowMs ?? Date.now(), isAlive: context.isAlive ?? isProcessAlive };
  const removed: string[] = [];
  for (const job of await port.servicesLabelled(HELPER_LABEL)) {
    if (leftOverReason({ labels: job.labels, createdMs: job.createdMs }, sweepContext) === null) continue;
    await port.removeService(job.id).catch(() => undefined);
    removed.push(job.name);
  }
  return removed;
}
