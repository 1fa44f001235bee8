import type { Readable } from 'node:stream';

// The engine port: every call composelet makes to Docker goes through this interface, so the executor
// can be tested against a fake that checks exact calls, and a counting wrapper can report how many calls
// a reconcile made. The dockerode adapter (docker-engine.ts) is the only implementation that does I/O.
// Shapes are the Docker Engine API's own (API 1.41), trimmed to what composelet reads.

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Created: number;
  State: string;
  Status: string;
  Labels: Record<string, string>;
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string; IPAddress?: string }> };
  /** The list call carries each container's mounts (no inspect needed for them). */
  Mounts?: Array<{ Type: string; Name?: string; Destination: string }>;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string; FailingStreak?: number; Log?: Array<{ ExitCode: number; Output: string }> };
  };
  Config: {
    Image: string;
    Labels: Record<string, string> | null;
    Env: string[] | null;
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    [key: string]: unknown;
  };
  HostConfig: {
    Memory?: number;
    MemoryReservation?: number;
    MemorySwap?: number;
    NanoCpus?: number;
    CpuShares?: number;
    PidsLimit?: number | null;
    RestartPolicy?: { Name: string; MaximumRetryCount: number };
    [key: string]: unknown;
  };
  Mounts: Array<{ Type: string; Name?: string; Source: string; Destination: string; RW: boolean }>;
  NetworkSettings: { Networks: Record<string, { Aliases: string[] | null; NetworkID: string }> };
  [key: string]: unknown;
}

export interface NetworkSummary {
  Id: string;
  Name: string;
  Driver: string;
  Labels: Record<string, string> | null;
}

export interface VolumeSummary {
  Name: string;
  Driver: string;
  Labels: Record<string, string> | null;
}

export interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
  Labels: Record<string, string> | null;
  /** Seconds since the epoch. */
  Created?: number;
}

export interface ListFilters {
  /** `key=value` or `key` label filters, all of which must match. */
  label?: string[];
  name?: string[];
}

export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano?: number;
}

/** A command run inside a running container (a lifecycle hook): Compose's `service_hook`. */
export interface ExecCommandOptions {
  command: string[];
  /** null: the container's user. */
  user: string | null;
  privileged: boolean;
  /** null: the container's working directory. */
  workingDir: string | null;
  environment: Record<string, string>;
}

/** The body of POST /containers/create (plain data; see actuators/container-spec.ts). */
export type ContainerCreateBody = Record<string, unknown>;

export interface EnginePort {
  ping(): Promise<void>;
  version(): Promise<{ Version: string; ApiVersion: string }>;

  listContainers(filters: ListFilters): Promise<ContainerSummary[]>;
  inspectContainer(id: string): Promise<ContainerInspect>;
  createContainer(name: string, body: ContainerCreateBody): Promise<{ Id: string }>;
  startContainer(id: string): Promise<void>;
  /** `signal` null: the container's StopSignal. */
  stopContainer(id: string, options: { timeoutSeconds: number; signal: string | null }): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  removeContainer(id: string, options: { force: boolean; removeVolumes: boolean }): Promise<void>;
  renameContainer(id: string, newName: string): Promise<void>;
  updateContainer(id: string, body: Record<string, unknown>): Promise<void>;
  /** Resolves with the exit code once the container stops. */
  waitContainer(id: string): Promise<{ StatusCode: number }>;
  /** Runs a command in a running container and resolves with its exit code once it ended (output is not kept). */
  execCommand(id: string, options: ExecCommandOptions): Promise<{ exitCode: number }>;
  /** Extracts a tar into the directory `path` of a container; works on created, never-started containers. */
  putArchive(id: string, path: string, tar: Readable): Promise<void>;

  listNetworks(filters: ListFilters): Promise<NetworkSummary[]>;
  createNetwork(body: Record<string, unknown>): Promise<{ Id: string }>;
  removeNetwork(id: string): Promise<void>;
  connectNetwork(network: string, body: { Container: string; EndpointConfig?: Record<string, unknown> }): Promise<void>;
  disconnectNetwork(network: string, body: { Container: string; Force?: boolean }): Promise<void>;

  listVolumes(filters: ListFilters): Promise<VolumeSummary[]>;
  createVolume(body: Record<string, unknown>): Promise<{ Name: string }>;
  removeVolume(name: string): Promise<void>;

  listImages(filters: ListFilters): Promise<ImageSummary[]>;
  inspectImage(reference: string): Promise<{
    Id: string;
    RepoTags: string[] | null;
    Config?: { Labels?: Record<string, string> | null; Volumes?: Record<string, unknown> | null };
  }>;
  /** Builds from a tar stream of the context; resolves when the build finished (rejects on a build error). */
  buildImage(context: Readable, options: { tag: string; dockerfile: string; buildArgs: Record<string, string>; target?: string; labels: Record<string, string> }): Promise<void>;
  pullImage(reference: string): Promise<void>;
  /** Removes an image by id (not forced: the engine refuses one a container uses). */
  removeImage(id: string): Promise<void>;
  /** POST /build/prune with keep-storage (API 1.39+, so engine 20.10's 1.41 has it): the builder's cache,
   * engine-wide, down to `keepStorageBytes`. The newer reserved/max-used/min-free-space (API 1.48) are not used. */
  pruneBuildCache(options: { keepStorageBytes: number }): Promise<{ spaceReclaimedBytes: number; cachesDeleted: number }>;

  /** Engine events since now, filtered; the stream ends when the connection drops. */
  events(filters: { type?: string[]; label?: string[]; event?: string[]; container?: string[] }): Promise<AsyncIterable<EngineEvent> & { close(): void }>;
}

export type EngineMethod = Exclude<keyof EnginePort, never>;

/** Methods that change the engine; everything else only reads. */
export const MUTATING_METHODS: ReadonlySet<EngineMethod> = new Set<EngineMethod>([
  'createContainer',
  'startContainer',
  'stopContainer',
  'killContainer',
  'removeContainer',
  'renameContainer',
  'updateContainer',
  'execCommand',
  'putArchive',
  'createNetwork',
  'removeNetwork',
  'connectNetwork',
  'disconnectNetwork',
  'createVolume',
  'removeVolume',
  'removeImage',
  'pruneBuildCache',
  'buildImage',
  'pullImage',
]);
