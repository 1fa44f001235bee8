import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { EngineRequestError } from '../../src/engine/engine-errors.js';
import {
  MUTATING_METHODS,
  type ContainerInspect,
  type ContainerSummary,
  type EngineEvent,
  type EngineMethod,
  type EnginePort,
  type ExecCommandOptions,
  type ImageSummary,
  type ListFilters,
  type NetworkSummary,
  type VolumeSummary,
} from '../../src/engine/engine-port.js';

// An in-memory engine for executor tests: containers, networks, volumes and images as plain records, every
// call recorded as { method, args }, failures and delays programmable per method and target, and container
// state that moves like the engine's (create -> created, start -> running, stop -> exited). What a started
// container does next (turns healthy, exits with a code) is scripted with `afterStart`.

export interface EngineCall {
  method: EngineMethod;
  args: unknown[];
}

export type FakeStatus = 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'dead';

export interface FakeContainer {
  id: string;
  name: string;
  status: FakeStatus;
  exitCode: number;
  startedAt: string;
  labels: Record<string, string>;
  /** null: no healthcheck. */
  health: string | null;
  hasHealthcheck: boolean;
  mounts: ContainerInspect['Mounts'];
  hostConfig: Record<string, unknown>;
  networks: Record<string, { Aliases: string[] | null; NetworkID: string }>;
  /** Image reference as created, and the id the tag pointed to then. */
  image: string;
  imageId: string;
}

/** A file a putArchive call put into a container, as read back from the tar. */
export interface FakeArchiveFile {
  /** The entry's name joined to the archive's path: "/run/secrets/token". */
  path: string;
  mode: number;
  uid: number;
  gid: number;
  content: string;
}

/** What an inspection after start shows; each inspection applies the next step, the last one sticks. */
export type FakeStep = Partial<Pick<FakeContainer, 'status' | 'exitCode' | 'health'>>;

interface Programmed {
  method: EngineMethod;
  target: string | null;
}

const NEVER_STARTED = '0001-01-01T00:00:00Z';

export class FakeEngine implements EnginePort {
  readonly calls: EngineCall[] = [];
  readonly containers = new Map<string, FakeContainer>();
  readonly networks = new Map<string, NetworkSummary>();
  readonly volumes = new Map<string, VolumeSummary>();
  readonly images = new Map<string, ImageSummary>();
  /** image reference -> the VOLUME targets its config declares (inspectImage's Config.Volumes). */
  readonly imageVolumes = new Map<string, string[]>();
  /** The build context each build received, by tag. */
  readonly buildContexts = new Map<string, Buffer>();
  /** Mutating calls in flight right now, and the most there ever were. */
  inFlight = 0;
  maxInFlight = 0;
  private sequence = 0;
  private readonly failures: Array<Programmed & { error: Error; times: number }> = [];
  private readonly delays: Array<Programmed & { milliseconds: number }> = [];
  private readonly scripts = new Map<string, FakeStep[]>();
  private readonly pendingSteps = new Map<string, FakeStep[]>();
  private readonly execExitCodes = new Map<string, number>();
  /** Containers (by id) whose every start the engine refuses: a task left over from its restart. */
  private readonly staleTasks = new Set<string>();
  /** Files put into each container (by id) with putArchive, in order. */
  readonly archiveFiles = new Map<string, FakeArchiveFile[]>();

  /** A container that exists before the run (what `observe` would have seen). */
  addContainer(init: Partial<FakeContainer> & { name: string }): FakeContainer {
    const container: FakeContainer = {
      id: this.nextId('container'),
      status: 'running',
      exitCode: 0,
      startedAt: init.status === 'created' ? NEVER_STARTED : '2024-01-01T00:00:00Z',
      labels: {},
      health: null,
      hasHealthcheck: init.health !== undefined && init.health !== null,
      mounts: [],
      hostConfig: {},
      networks: {},
      image: 'image',
      imageId: 'sha256:image',
      ...init,
    };
    this.containers.set(container.id, container);
    return container;
  }

  /** The named (or id'd) call fails with `error`, `times` times (default: always). */
  failWith(method: EngineMethod, error: Error, options: { target?: string; times?: number } = {}): void {
    this.failures.push({ method, target: options.target ?? null, error, times: options.times ?? Number.POSITIVE_INFINITY });
  }

  /** The engine kept a task of this container across its restart: every start of it fails with HTTP 500
   * `task <id>: already exists` (moby/moby#36145), as long as the container exists. */
  leaveStaleTask(reference: string): void {
    this.staleTasks.add(this.container(reference).id);
  }

  /** The call takes `milliseconds` (real time; keep it small). */
  delay(method: EngineMethod, milliseconds: number, options: { target?: string } = {}): void {
    this.delays.push({ method, target: options.target ?? null, milliseconds });
  }

  /** What the container named `name` does once started, one step per inspection. */
  afterStart(name: string, steps: FakeStep[]): void {
    this.scripts.set(name, steps);
  }

  /** An exec of exactly this command (words joined by spaces) exits with `exitCode`; others exit 0. */
  execExits(command: string, exitCode: number): void {
    this.execExitCodes.set(command, exitCode);
  }

  /** `method target` per call, e.g. "startContainer demo-api-1", optionally only mutating calls. */
  describeCalls(options: { mutatingOnly?: boolean } = {}): string[] {
    return this.calls
      .filter((call) => options.mutatingOnly !== true || MUTATING_METHODS.has(call.method))
      .map((call) => `${call.method} ${targetOf(call.method, call.args)}`.trim());
  }

  argsOf(method: EngineMethod): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  /** A container by id, id prefix or name; throws the engine's 404 otherwise. */
  container(reference: string): FakeContainer {
    const found = [...this.containers.values()].find(
      (container) => container.id === reference || container.name === reference || (reference.length >= 12 && container.id.startsWith(reference)),
    );
    if (found === undefined) throw new EngineRequestError('inspect container', 404, `No such container: ${reference}`);
    return found;
  }

  async ping(): Promise<void> {
    await this.call('ping', []);
  }

  async version(): Promise<{ Version: string; ApiVersion: string }> {
    await this.call('version', []);
    return { Version: '20.10.24', ApiVersion: '1.41' };
  }

  async listContainers(filters: ListFilters): Promise<ContainerSummary[]> {
    await this.call('listContainers', [filters]);
    return [...this.containers.values()]
      .filter((container) => matchesLabels(container.labels, filters.label))
      .map((container) => ({
        Id: container.id,
        Names: [`/${container.name}`],
        Image: container.image,
        ImageID: container.imageId,
        NetworkSettings: { Networks: Object.fromEntries(Object.entries(container.networks).map(([name, network]) => [name, { NetworkID: network.NetworkID }])) },
        Created: 0,
        State: container.status,
        Status: container.status,
        Labels: { ...container.labels },
        Mounts: container.mounts.map((mount) => ({ Type: mount.Type, ...(mount.Name !== undefined ? { Name: mount.Name } : {}), Destination: mount.Destination })),
      }));
  }

  async inspectContainer(id: string): Promise<ContainerInspect> {
    await this.call('inspectContainer', [id]);
    const container = this.container(id);
    const step = this.pendingSteps.get(container.id)?.shift();
    if (step !== undefined) {
      Object.assign(container, step);
      if (this.pendingSteps.get(container.id)?.length === 0) this.pendingSteps.set(container.id, [step]);
    }
    return inspectOf(container);
  }

  async createContainer(name: string, body: Record<string, unknown>): Promise<{ Id: string }> {
    await this.call('createContainer', [name, body]);
    if ([...this.containers.values()].some((container) => container.name === name)) {
      throw new EngineRequestError('create container', 409, `Conflict. The container name "/${name}" is already in use`);
    }
    const hostConfig = (body['HostConfig'] ?? {}) as Record<string, unknown>;
    const healthcheck = body['Healthcheck'] as { Test?: string[] } | undefined;
    const container = this.addContainer({
      name,
      status: 'created',
      labels: { ...((body['Labels'] ?? {}) as Record<string, string>) },
      hasHealthcheck: healthcheck !== undefined && healthcheck.Test?.[0] !== 'NONE',
      hostConfig: { ...hostConfig },
      mounts: this.mountsFor(body),
      image: String(body['Image'] ?? 'image'),
      imageId: this.images.get(String(body['Image']))?.Id ?? 'sha256:image',
      networks: Object.fromEntries(
        Object.entries(((body['NetworkingConfig'] as { EndpointsConfig?: Record<string, { Aliases?: string[] }> } | undefined)?.EndpointsConfig) ?? {}).map(
          ([network, endpoint]) => [network, { Aliases: endpoint.Aliases ?? null, NetworkID: network }],
        ),
      ),
    });
    return { Id: container.id };
  }

  async startContainer(id: string): Promise<void> {
    await this.call('startContainer', [id]);
    const container = this.container(id);
    if (container.status === 'running') throw new EngineRequestError('start container', 304, 'container already started');
    if (this.staleTasks.has(container.id)) throw new EngineRequestError('start container', 500, `task ${container.id}: already exists`);
    Object.assign(container, { status: 'running', exitCode: 0, startedAt: '2024-01-01T00:00:01Z' });
    container.health = container.hasHealthcheck ? 'starting' : null;
    this.pendingSteps.set(container.id, [...(this.scripts.get(container.name) ?? [])]);
  }

  async stopContainer(id: string, options: { timeoutSeconds: number; signal: string | null }): Promise<void> {
    await this.call('stopContainer', [id, options]);
    const container = this.container(id);
    if (container.status !== 'running') throw new EngineRequestError('stop container', 304, 'container already stopped');
    Object.assign(container, { status: 'exited', exitCode: 143 });
  }

  async killContainer(id: string, signal?: string): Promise<void> {
    await this.call('killContainer', [id, signal]);
    Object.assign(this.container(id), { status: 'exited', exitCode: 137 });
  }

  async removeContainer(id: string, options: { force: boolean; removeVolumes: boolean }): Promise<void> {
    await this.call('removeContainer', [id, options]);
    const container = this.container(id);
    if (container.status === 'running' && !options.force) {
      throw new EngineRequestError('remove container', 409, 'You cannot remove a running container. Stop the container before attempting removal or force remove');
    }
    this.containers.delete(container.id);
  }

  async renameContainer(id: string, newName: string): Promise<void> {
    await this.call('renameContainer', [id, newName]);
    const container = this.container(id);
    if ([...this.containers.values()].some((other) => other.name === newName)) {
      throw new EngineRequestError('rename container', 409, `Conflict. The container name "/${newName}" is already in use`);
    }
    container.name = newName;
  }

  async updateContainer(id: string, body: Record<string, unknown>): Promise<void> {
    await this.call('updateContainer', [id, body]);
    Object.assign(this.container(id).hostConfig, body);
  }

  async waitContainer(id: string): Promise<{ StatusCode: number }> {
    await this.call('waitContainer', [id]);
    return { StatusCode: this.container(id).exitCode };
  }

  async execCommand(id: string, options: ExecCommandOptions): Promise<{ exitCode: number }> {
    await this.call('execCommand', [id, options]);
    const container = this.container(id);
    if (container.status !== 'running') throw new EngineRequestError('exec', 409, `Container ${container.id} is not running`);
    return { exitCode: this.execExitCodes.get(options.command.join(' ')) ?? 0 };
  }

  async putArchive(id: string, path: string, tar: Readable): Promise<void> {
    await this.call('putArchive', [id, path, tar]);
    const container = this.container(id);
    const files = await readTar(tar);
    const base = path.endsWith('/') ? path : `${path}/`;
    const placed = files.map((file) => ({ ...file, path: `${base}${file.path.replace(/^\/+/, '')}` }));
    this.archiveFiles.set(container.id, [...(this.archiveFiles.get(container.id) ?? []), ...placed]);
  }

  async listNetworks(filters: ListFilters): Promise<NetworkSummary[]> {
    await this.call('listNetworks', [filters]);
    return [...this.networks.values()].filter((network) => matchesLabels(network.Labels ?? {}, filters.label));
  }

  async createNetwork(body: Record<string, unknown>): Promise<{ Id: string }> {
    await this.call('createNetwork', [body]);
    const name = String(body['Name']);
    if (this.networks.has(name)) throw new EngineRequestError('create network', 409, `network with name ${name} already exists`);
    const network = { Id: this.nextId('network'), Name: name, Driver: String(body['Driver'] ?? 'bridge'), Labels: (body['Labels'] ?? {}) as Record<string, string> };
    this.networks.set(name, network);
    return { Id: network.Id };
  }

  async removeImage(id: string): Promise<void> {
    await this.call('removeImage', [id]);
  }

  async pruneBuildCache(options: { keepStorageBytes: number }): Promise<{ spaceReclaimedBytes: number; cachesDeleted: number }> {
    await this.call('pruneBuildCache', [options]);
    return { spaceReclaimedBytes: 0, cachesDeleted: 0 };
  }

  async removeNetwork(id: string): Promise<void> {
    await this.call('removeNetwork', [id]);
    if (!this.networks.delete(id)) throw new EngineRequestError('remove network', 404, `network ${id} not found`);
  }

  async connectNetwork(network: string, body: { Container: string; EndpointConfig?: Record<string, unknown> }): Promise<void> {
    await this.call('connectNetwork', [network, body]);
    const found = this.networks.get(network);
    if (found === undefined) throw new EngineRequestError('connect network', 404, `network ${network} not found`);
    const aliases = (body.EndpointConfig?.['Aliases'] ?? null) as string[] | null;
    this.container(body.Container).networks[network] = { Aliases: aliases, NetworkID: found.Id };
  }

  async disconnectNetwork(network: string, body: { Container: string; Force?: boolean }): Promise<void> {
    await this.call('disconnectNetwork', [network, body]);
    delete this.container(body.Container).networks[network];
  }

  async listVolumes(filters: ListFilters): Promise<VolumeSummary[]> {
    await this.call('listVolumes', [filters]);
    return [...this.volumes.values()].filter((volume) => matchesLabels(volume.Labels ?? {}, filters.label));
  }

  async createVolume(body: Record<string, unknown>): Promise<{ Name: string }> {
    await this.call('createVolume', [body]);
    const name = String(body['Name']);
    this.volumes.set(name, { Name: name, Driver: String(body['Driver'] ?? 'local'), Labels: (body['Labels'] ?? {}) as Record<string, string> });
    return { Name: name };
  }

  async removeVolume(name: string): Promise<void> {
    await this.call('removeVolume', [name]);
    if (!this.volumes.delete(name)) throw new EngineRequestError('remove volume', 404, `get ${name}: no such volume`);
  }

  async listImages(filters: ListFilters): Promise<ImageSummary[]> {
    await this.call('listImages', [filters]);
    return [...this.images.values()].filter((image) => matchesLabels(image.Labels ?? {}, filters.label));
  }

  async inspectImage(
    reference: string,
  ): Promise<{ Id: string; RepoTags: string[] | null; Config?: { Labels?: Record<string, string> | null; Volumes?: Record<string, unknown> | null } }> {
    await this.call('inspectImage', [reference]);
    const image = this.images.get(reference);
    if (image === undefined) throw new EngineRequestError('inspect image', 404, `No such image: ${reference}`);
    const volumes = this.imageVolumes.get(reference) ?? [];
    return { Id: image.Id, RepoTags: image.RepoTags, Config: { Labels: image.Labels, Volumes: volumes.length === 0 ? null : Object.fromEntries(volumes.map((target) => [target, {}])) } };
  }

  async buildImage(
    context: Readable,
    options: { tag: string; dockerfile: string; buildArgs: Record<string, string>; target?: string; labels: Record<string, string> },
  ): Promise<void> {
    await this.call('buildImage', [context, options]);
    const chunks: Buffer[] = [];
    for await (const chunk of context) chunks.push(Buffer.from(chunk as Uint8Array));
    this.buildContexts.set(options.tag, Buffer.concat(chunks));
    this.images.set(options.tag, { Id: this.nextId('image'), RepoTags: [options.tag], Labels: { ...options.labels } });
  }

  async pullImage(reference: string): Promise<void> {
    await this.call('pullImage', [reference]);
    this.images.set(reference, { Id: this.nextId('image'), RepoTags: [reference], Labels: {} });
  }

  async events(filters: { type?: string[]; label?: string[] }): Promise<AsyncIterable<EngineEvent> & { close(): void }> {
    await this.call('events', [filters]);
    return { async *[Symbol.asyncIterator]() {}, close() {} };
  }

  /** Records the call, applies programmed delays and failures, and counts mutating calls in flight. */
  private async call(method: EngineMethod, args: unknown[]): Promise<void> {
    this.calls.push({ method, args });
    const target = targetOf(method, args);
    const mutating = MUTATING_METHODS.has(method);
    if (mutating) {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    }
    try {
      const delay = this.delays.find((entry) => entry.method === method && (entry.target === null || entry.target === target));
      await (delay === undefined ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, delay.milliseconds)));
      const failure = this.failures.find(
        (entry) => entry.method === method && entry.times > 0 && (entry.target === null || entry.target === target),
      );
      if (failure !== undefined) {
        failure.times -= 1;
        throw failure.error;
      }
    } finally {
      if (mutating) this.inFlight -= 1;
    }
  }

  private nextId(kind: string): string {
    this.sequence += 1;
    return createHash('sha256').update(`${kind}-${this.sequence}`).digest('hex');
  }

  /** Named mounts as given (a missing named volume is created, with VolumeOptions.Labels, as the engine
   * does); every `Volumes` target (or image VOLUME) without one gets a fresh anonymous volume. */
  private mountsFor(body: Record<string, unknown>): ContainerInspect['Mounts'] {
    const hostConfig = (body['HostConfig'] ?? {}) as {
      Mounts?: Array<{ Type: string; Source: string; Target: string; VolumeOptions?: { Labels?: Record<string, string> } }>;
    };
    for (const mount of hostConfig.Mounts ?? []) {
      if (mount.Type !== 'volume' || !mount.Source || this.volumes.has(mount.Source)) continue;
      this.volumes.set(mount.Source, { Name: mount.Source, Driver: 'local', Labels: { ...(mount.VolumeOptions?.Labels ?? {}) } });
    }
    const mounts = (hostConfig.Mounts ?? []).map((mount) => ({
      Type: mount.Type,
      ...(mount.Type === 'volume' ? { Name: mount.Source } : {}),
      Source: mount.Source,
      Destination: mount.Target,
      RW: true,
    }));
    const imageTargets = this.imageVolumes.get(String(body['Image'])) ?? [];
    for (const target of [...Object.keys((body['Volumes'] ?? {}) as Record<string, unknown>), ...imageTargets]) {
      if (mounts.some((mount) => mount.Destination === target)) continue;
      const name = this.nextId('volume');
      mounts.push({ Type: 'volume', Name: name, Source: `/var/lib/docker/volumes/${name}/_data`, Destination: target, RW: true });
      this.volumes.set(name, { Name: name, Driver: 'local', Labels: {} });
    }
    return mounts;
  }
}

/** The name or id a call acts on: first string argument, else the body's Name, else the build tag. */
export function targetOf(method: EngineMethod, args: readonly unknown[]): string {
  const [first, second] = args;
  if (method === 'buildImage') return (second as { tag?: string } | undefined)?.tag ?? '';
  if (typeof first === 'string') return first;
  if (first !== null && typeof first === 'object' && typeof (first as { Name?: unknown }).Name === 'string') {
    return (first as { Name: string }).Name;
  }
  return '';
}

function readTar(tar: Readable): Promise<FakeArchiveFile[]> {
  return new Promise((resolve, reject) => {
    const files: FakeArchiveFile[] = [];
    const extractor = extract();
    extractor.on('entry', (headers, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        files.push({ path: headers.name, mode: headers.mode ?? 0, uid: headers.uid ?? 0, gid: headers.gid ?? 0, content: Buffer.concat(chunks).toString('utf8') });
        next();
      });
    });
    extractor.on('finish', () => resolve(files));
    extractor.on('error', reject);
    tar.on('error', reject);
    tar.pipe(extractor);
  });
}

function matchesLabels(labels: Record<string, string>, filters: string[] | undefined): boolean {
  return (filters ?? []).every((filter) => {
    const [key = '', value] = filter.split('=', 2);
    return value === undefined ? key in labels : labels[key] === value;
  });
}

function inspectOf(container: FakeContainer): ContainerInspect {
  const running = container.status === 'running' || container.status === 'restarting' || container.status === 'paused';
  return {
    Id: container.id,
    Name: `/${container.name}`,
    Created: '2024-01-01T00:00:00Z',
    Image: 'sha256:image',
    State: {
      Status: container.status,
      Running: running,
      ExitCode: container.exitCode,
      StartedAt: container.startedAt,
      FinishedAt: NEVER_STARTED,
      ...(container.health !== null ? { Health: { Status: container.health } } : {}),
    },
    Config: { Image: 'image', Labels: { ...container.labels }, Env: [], Cmd: null, Entrypoint: null },
    HostConfig: { ...container.hostConfig },
    Mounts: container.mounts.map((mount) => ({ ...mount })),
    NetworkSettings: { Networks: { ...container.networks } },
  };
}
