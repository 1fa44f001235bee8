import { hostname } from 'node:os';
import type { BackupEngine } from '../../backup/backup-engine.js';
import type { ContainerInspect, ContainerSummary, ListFilters } from '../../engine/engine-port.js';
import { COMPOSE_PROJECT, COMPOSE_SERVICE } from '../model/swarm-labels.js';
import { serviceName } from '../model/swarm-names.js';
import { execInJob } from './run-in-job.js';
import { runningTask, type TaskLocation } from './running-task.js';
import type { SwarmBackupPort } from './swarm-backup-port.js';

// Backups of a Swarm project through the same code as on one host (run-backup.ts, the scheduler, verify,
// retention): a BackupEngine that answers "the containers of project P, service S" with the service's
// running task, wherever Swarm placed it, and sends what backups do with that container to where it is:
// - the task's node engine, when composelet knows its address (--swarm-node-engine): exec and archive calls
//   go there exactly as on one host;
// - else a one-off job on the cluster (run-in-job.ts) for exec (dumpers that reach the database over the
//   network: the postgres preset, a command using PGHOST/COMPOSELET_BACKUP_HOST); copying files out (redis,
//   files) needs the node's engine and says so.
// Everything else (other projects, throwaway containers for verify and drills, images) goes to the local
// engine, the manager's. A Swarm task is never stopped or started here: Swarm would replace it.

export interface SwarmBackupEngineOptions {
  local: BackupEngine;
  swarm: SwarmBackupPort;
  isSwarmProject: (projectName: string) => boolean;
  /** The engine of the node with this hostname, when composelet knows its address. */
  nodeEngine: (nodeHostname: string) => BackupEngine | null;
  /** `pid@host` for the jobs' owner label (default this process). */
  owner?: string;
}

type Route = { kind: 'node'; engine: BackupEngine; nodeHostname: string } | { kind: 'job'; projectName: string; service: string; task: TaskLocation };

export function createSwarmBackupEngine(options: SwarmBackupEngineOptions): BackupEngine {
  const { local, swarm } = options;
  const owner = options.owner ?? `${process.pid}@${hostname()}`;
  const routes = new Map<string, Route>();

  async function taskContainers(projectName: string, service: string): Promise<ContainerSummary[]> {
    const database = await swarm.service(serviceName(projectName, service));
    if (!database) return [];
    const task = runningTask(await swarm.tasks(database.ID), await swarm.nodeHostnames());
    if (!task) return [];
    const engine = options.nodeEngine(task.nodeHostname);
    if (engine) {
      routes.set(task.containerId, { kind: 'node', engine, nodeHostname: task.nodeHostname });
      return [summaryOf(await engine.inspectContainer(task.containerId))];
    }
    routes.set(task.containerId, { kind: 'job', projectName, service, task });
    return [summaryOf(taskInspect(projectName, service, task))];
  }

  function unreachable(containerId: string, what: string): never {
    const route = routes.get(containerId) as Extract<Route, { kind: 'job' }>;
    throw new Error(
      `${what} in service "${route.service}"'s task on node ${route.task.nodeHostname || route.task.nodeId} needs that node's engine: give its address with --swarm-node-engine ${route.task.nodeHostname || 'HOSTNAME'}=unix:///...|tcp://...`,
    );
  }

  function notOnSwarm(containerId: string): void {
    if (routes.has(containerId)) throw new Error('a backup on Swarm does not stop or start the database\'s task (Swarm would replace it): stop_service is not supported there');
  }

  return {
    async listContainers(filters: ListFilters) {
      const projectName = labelValue(filters, COMPOSE_PROJECT);
      const service = labelValue(filters, COMPOSE_SERVICE);
      if (projectName !== null && service !== null && options.isSwarmProject(projectName)) return taskContainers(projectName, service);
      return local.listContainers(filters);
    },
    async inspectContainer(id) {
      const route = routes.get(id);
      if (route?.kind === 'node') return route.engine.inspectContainer(id);
      if (route?.kind === 'job') return taskInspect(route.projectName, route.service, route.task);
      return local.inspectContainer(id);
    },
    async exec(containerId, execOptions) {
      const route = routes.get(containerId);
      if (route?.kind === 'node') return route.engine.exec(containerId, execOptions);
      if (route?.kind === 'job' && execOptions.stdin) unreachable(containerId, 'feeding a command (a restore)');
      if (route?.kind === 'job') return execInJob(swarm, { ...execOptions, projectName: route.projectName, service: route.service, task: route.task, owner });
      return local.exec(containerId, execOptions);
    },
    async getArchive(containerId, path) {
      const route = routes.get(containerId);
      if (route?.kind === 'node') return route.engine.getArchive(containerId, path);
      if (route?.kind === 'job') unreachable(containerId, `copying ${path} out`);
      return local.getArchive(containerId, path);
    },
    async putArchive(containerId, path, tar) {
      const route = routes.get(containerId);
      if (route?.kind === 'node') return route.engine.putArchive(containerId, path, tar);
      if (route?.kind === 'job') unreachable(containerId, `copying into ${path}`);
      return local.putArchive(containerId, path, tar);
    },
    async startContainer(id) {
      notOnSwarm(id);
      return local.startContainer(id);
    },
    async stopContainer(id, stopOptions) {
      notOnSwarm(id);
      return local.stopContainer(id, stopOptions);
    },
    async removeContainer(id, removeOptions) {
      notOnSwarm(id);
      return local.removeContainer(id, removeOptions);
    },
    async waitContainer(id) {
      notOnSwarm(id);
      return local.waitContainer(id);
    },
    inspectImage: (reference) => local.inspectImage(reference),
    createContainer: (name, body) => local.createContainer(name, body),
    runThrowaway: (throwawayOptions) => local.runThrowaway(throwawayOptions),
  };
}

/** The value of a `key=value` label filter, or null. */
export function labelValue(filters: ListFilters, key: string): string | null {
  const entry = (filters.label ?? []).find((label) => label.startsWith(`${key}=`));
  return entry === undefined ? null : entry.slice(key.length + 1);
}

function summaryOf(inspect: ContainerInspect): ContainerSummary {
  return {
    Id: inspect.Id,
    Names: [inspect.Name.startsWith('/') ? inspect.Name : `/${inspect.Name}`],
    Image: inspect.Config.Image,
    ImageID: inspect.Image,
    Created: Math.floor(Date.parse(inspect.Created) / 1000) || 0,
    State: inspect.State.Status,
    Status: inspect.State.Status,
    Labels: inspect.Config.Labels ?? {},
  };
}

/** The task as a container, for a node composelet cannot inspect: what run-backup records in the manifest. */
function taskInspect(projectName: string, service: string, task: TaskLocation): ContainerInspect {
  return {
    Id: task.containerId,
    Name: `/${serviceName(projectName, service)}.${task.taskId}`,
    Created: task.createdAt,
    Image: '',
    State: { Status: 'running', Running: true, ExitCode: 0, StartedAt: task.createdAt, FinishedAt: '' },
    Config: { Image: task.image, Labels: task.labels, Env: null, Cmd: null, Entrypoint: null },
    HostConfig: {},
    Mounts: [],
    NetworkSettings: { Networks: {} },
  };
}
