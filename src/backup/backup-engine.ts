import type { Readable, Writable } from 'node:stream';
import Dockerode from 'dockerode';
import { parseDockerHost } from '../engine/docker-host.js';
import { createDockerEngine } from '../engine/docker-engine.js';
import type { EnginePort } from '../engine/engine-port.js';
import { getContainerArchive, putContainerArchive } from './engine-archive.js';
import { execInContainer, runThrowawayContainer } from './engine-exec.js';

// What backups need from the engine: the container calls of the engine port, plus running a command in a
// container with its streams (exec), a throwaway container fed on stdin, and copying files in and out
// (archive). The last four are not in EnginePort yet; this adapter adds them through dockerode, so the
// lead can fold them into the port later without touching backup code.

export interface ExecOptions {
  command: string[];
  user?: string | null;
  /** Fed to the command's stdin, which is then closed. */
  stdin?: Readable | null;
  /** Receives stdout and is ended with it; when absent, stdout is captured (its last 64 KiB). */
  stdout?: Writable | null;
  signal?: AbortSignal;
}

export interface CommandResult {
  exitCode: number;
  /** Captured stdout ('' when it went to ExecOptions.stdout). */
  stdout: string;
  /** The last 64 KiB of stderr. */
  stderr: string;
}

export interface ThrowawayOptions extends Omit<ExecOptions, 'user'> {
  image: string;
  /** Replaces the image's entrypoint ([] for none). */
  entrypoint: string[];
  user?: string | null;
  /** `volume:/path[:ro]` binds. */
  binds?: string[];
  labels: Record<string, string>;
}

export interface ContainerIo {
  exec(containerId: string, options: ExecOptions): Promise<CommandResult>;
  /** Creates a container without network, runs it to the end, removes it. */
  runThrowaway(options: ThrowawayOptions): Promise<CommandResult>;
  /** A tar of `path` (the engine names entries after its last component). */
  getArchive(containerId: string, path: string): Promise<Readable>;
  /** Extracts a tar into the directory `path`; works on stopped and never-started containers. */
  putArchive(containerId: string, path: string, tar: Readable): Promise<void>;
}

export type BackupEngine = Pick<
  EnginePort,
  'listContainers' | 'inspectContainer' | 'inspectImage' | 'createContainer' | 'startContainer' | 'stopContainer' | 'removeContainer' | 'waitContainer'
> &
  ContainerIo;

/** The engine at DOCKER_HOST (or the default socket), or over an existing port. */
export function createBackupEngine(options: { dockerHost?: string; port?: EnginePort } = {}): BackupEngine {
  const port = options.port ?? createDockerEngine(options.dockerHost === undefined ? {} : { dockerHost: options.dockerHost });
  const docker = new Dockerode(parseDockerHost(options.dockerHost).dockerodeOptions);
  return {
    listContainers: (filters) => port.listContainers(filters),
    inspectContainer: (id) => port.inspectContainer(id),
    inspectImage: (reference) => port.inspectImage(reference),
    createContainer: (name, body) => port.createContainer(name, body),
    startContainer: (id) => port.startContainer(id),
    stopContainer: (id, stopOptions) => port.stopContainer(id, stopOptions),
    removeContainer: (id, removeOptions) => port.removeContainer(id, removeOptions),
    waitContainer: (id) => port.waitContainer(id),
    exec: (containerId, execOptions) => execInContainer(docker, containerId, execOptions),
    runThrowaway: (throwawayOptions) => runThrowawayContainer(docker, throwawayOptions),
    getArchive: (containerId, path) => getContainerArchive(docker, containerId, path),
    putArchive: (containerId, path, tar) => putContainerArchive(docker, containerId, path, tar),
  };
}
