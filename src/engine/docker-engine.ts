import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { chooseApiVersion, parseDockerHost } from './docker-host.js';
import { ImageOperationError, isConflict, toEngineError } from './engine-errors.js';
import type { EngineEvent, EnginePort, ListFilters } from './engine-port.js';
import { execCommand } from './exec-command.js';

// The dockerode adapter: the only EnginePort that does I/O. Every call is one Engine API request made
// through dockerode's modem (no dockerode convenience wrappers, which put whole bodies in query strings
// and treat 304 as an error), under a version prefix negotiated once: 1.41, or what the engine needs.

type Query = Record<string, string | number | boolean | undefined>;

interface EngineRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** Statuses that mean success; 200, 201 and 204 unless given. */
  ok?: number[];
  file?: Readable;
  stream?: boolean;
  abortSignal?: AbortSignal;
}

export function createDockerEngine(options: { dockerHost?: string }): EnginePort {
  const dockerHost = parseDockerHost(options.dockerHost);
  const docker = new Dockerode(dockerHost.dockerodeOptions);
  let versionPrefix: Promise<string> | null = null;

  function dial<T>(request: EngineRequest, prefix: string): Promise<T> {
    const operation = `${request.method} ${request.path}`;
    const statusCodes: Record<number, true> = {};
    for (const status of request.ok ?? [200, 201, 204]) statusCodes[status] = true;
    return new Promise<T>((resolve, reject) => {
      docker.modem.dial(
        {
          method: request.method,
          path: `${prefix}${request.path}?`,
          options: { _query: definedEntries(request.query ?? {}), _body: request.body ?? {} },
          statusCodes,
          isStream: request.stream ?? false,
          ...(request.file ? { file: request.file } : {}),
          ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
        },
        (error, result) => {
          if (error) reject(toEngineError(error, { address: dockerHost.address, operation }));
          else resolve(result as T);
        },
      );
    });
  }

  function negotiatedPrefix(): Promise<string> {
    versionPrefix ??= dial<{ ApiVersion: string; MinAPIVersion?: string }>({ method: 'GET', path: '/version' }, '')
      .then((server) => `/v${chooseApiVersion(server)}`)
      .catch((error: unknown) => {
        versionPrefix = null;
        throw error;
      });
    return versionPrefix;
  }

  async function request<T>(request: EngineRequest): Promise<T> {
    return dial<T>(request, await negotiatedPrefix());
  }

  const container = (id: string) => `/containers/${encodeURIComponent(id)}`;

  async function kill(id: string, signal: string | undefined): Promise<void> {
    await request({ method: 'POST', path: `${container(id)}/kill`, query: { signal } });
  }

  /** True when the container stopped within the timeout. */
  async function waitForExit(id: string, timeoutMs: number | null): Promise<boolean> {
    const controller = new AbortController();
    const timer = timeoutMs === null ? undefined : setTimeout(() => controller.abort(), timeoutMs);
    try {
      const path = `${container(id)}/wait`;
      await request({ method: 'POST', path, query: { condition: 'not-running' }, abortSignal: controller.signal });
      return true;
    } catch (error) {
      if (controller.signal.aborted) return false;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal; false when the container was not running (nothing to stop). */
  async function signalRunning(id: string, signal: string): Promise<boolean> {
    try {
      await kill(id, signal);
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  async function followProgress(response: IncomingMessage, failure: (message: string) => Error): Promise<void> {
    let failureMessage: string | null = null;
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        response,
        (error) => (error ? reject(toEngineError(error, { address: dockerHost.address, operation: 'progress' })) : resolve()),
        (line: { error?: string; errorDetail?: { message?: string } }) => {
          failureMessage ??= line.errorDetail?.message ?? line.error ?? null;
        },
      );
    });
    if (failureMessage !== null) throw failure(failureMessage);
  }

  return {
    async ping() {
      await request({ method: 'GET', path: '/_ping' });
    },
    version: () => request({ method: 'GET', path: '/version' }),

    listContainers: (filters) =>
      request({ method: 'GET', path: '/containers/json', query: { all: true, filters: filterJson(filters) } }),
    inspectContainer: (id) => request({ method: 'GET', path: `${container(id)}/json` }),
    // `platform` (API 1.41) is a query parameter; the create spec carries it beside the body.
    createContainer: (name, { platform, ...body }) =>
      request({ method: 'POST', path: '/containers/create', query: { name, ...(typeof platform === 'string' ? { platform } : {}) }, body }),
    async startContainer(id) {
      await request({ method: 'POST', path: `${container(id)}/start`, ok: [204, 304] });
    },
    // API 1.41 has no signal parameter on stop (1.42 added it). With a signal we do what the engine's
    // stop does inside: send the signal, wait up to the timeout for the container to exit, then SIGKILL
    // and wait for it to be gone. Stopping a container that is not running is not an error.
    async stopContainer(id, { timeoutSeconds, signal }) {
      if (signal === null) {
        await request({ method: 'POST', path: `${container(id)}/stop`, query: { t: timeoutSeconds }, ok: [204, 304] });
        return;
      }
      if (!(await signalRunning(id, signal))) return;
      if (await waitForExit(id, timeoutSeconds * 1000)) return;
      if (!(await signalRunning(id, 'SIGKILL'))) return;
      await waitForExit(id, null);
    },
    killContainer: (id, signal) => kill(id, signal),
    async removeContainer(id, { force, removeVolumes }) {
      await request({ method: 'DELETE', path: container(id), query: { force, v: removeVolumes } });
    },
    async renameContainer(id, newName) {
      await request({ method: 'POST', path: `${container(id)}/rename`, query: { name: newName } });
    },
    async updateContainer(id, body) {
      await request({ method: 'POST', path: `${container(id)}/update`, body });
    },
    // Condition not-running: a container that already exited (or was never started) answers at once.
    waitContainer: (id) =>
      request({ method: 'POST', path: `${container(id)}/wait`, query: { condition: 'not-running' } }),

    listNetworks: (filters) => request({ method: 'GET', path: '/networks', query: { filters: filterJson(filters) } }),
    createNetwork: (body) => request({ method: 'POST', path: '/networks/create', body }),
    async removeNetwork(id) {
      await request({ method: 'DELETE', path: `/networks/${encodeURIComponent(id)}` });
    },
    async connectNetwork(network, body) {
      await request({ method: 'POST', path: `/networks/${encodeURIComponent(network)}/connect`, body });
    },
    async disconnectNetwork(network, body) {
      await request({ method: 'POST', path: `/networks/${encodeURIComponent(network)}/disconnect`, body });
    },

    async listVolumes(filters) {
      const query = { filters: filterJson(filters) };
      const listing = await request<{ Volumes: null | Awaited<ReturnType<EnginePort['listVolumes']>> }>({ method: 'GET', path: '/volumes', query });
      return listing.Volumes ?? [];
    },
    createVolume: (body) => request({ method: 'POST', path: '/volumes/create', body }),
    async removeVolume(name) {
      await request({ method: 'DELETE', path: `/volumes/${encodeURIComponent(name)}` });
    },

    async removeImage(id) {
      await request({ method: 'DELETE', path: `/images/${encodeURIComponent(id)}` });
    },
    async pruneBuildCache({ keepStorageBytes }) {
      const pruned = await request<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>({ method: 'POST', path: '/build/prune', query: { 'keep-storage': keepStorageBytes } });
      return { spaceReclaimedBytes: pruned.SpaceReclaimed ?? 0, cachesDeleted: pruned.CachesDeleted?.length ?? 0 };
    },
    // Images have no `name` filter; `name` filters by reference ("repo:tag" patterns).
    listImages: ({ label, name }) =>
      request({ method: 'GET', path: '/images/json', query: { filters: filterJson({ label, reference: name }) } }),
    execCommand: (id, execOptions) => execCommand((call) => request(call), id, execOptions),
    async putArchive(id, path, tar) {
      await request({ method: 'PUT', path: `${container(id)}/archive`, query: { path }, file: tar });
    },
    inspectImage: (reference) => request({ method: 'GET', path: `/images/${encodeURI(reference)}/json` }),
    async buildImage(context, { tag, dockerfile, buildArgs, target, labels }) {
      let contextError: unknown = null;
      context.once('error', (error) => (contextError = error));
      const query = { t: tag, dockerfile, buildargs: JSON.stringify(buildArgs), labels: JSON.stringify(labels), target, rm: true, forcerm: true };
      try {
        const response = await request<IncomingMessage>({ method: 'POST', path: '/build', query, file: context, stream: true });
        await followProgress(response, (message) => new ImageOperationError('build', tag, message));
      } catch (error) {
        throw contextError ?? error;
      }
    },
    async pullImage(reference) {
      const response = await request<IncomingMessage>({ method: 'POST', path: '/images/create', query: pullQuery(reference), stream: true });
      await followProgress(response, (message) => new ImageOperationError('pull', reference, message));
    },

    async events(filters) {
      const response = await request<IncomingMessage>({ method: 'GET', path: '/events', query: { filters: filterJson(filters) }, stream: true });
      return eventStream(response);
    },
  };
}

/** The engine's JSON filters, in the map form (`{"label":{"a=b":true}}`) every API version reads. */
export function filterJson(filters: ListFilters | Record<string, string[] | undefined>): string {
  const json: Record<string, Record<string, true>> = {};
  for (const [key, values] of Object.entries(filters) as Array<[string, string[] | undefined]>) {
    if (!values || values.length === 0) continue;
    json[key] = Object.fromEntries(values.map((value) => [value, true] as const));
  }
  return JSON.stringify(json);
}

/** `fromImage` and `tag` for POST /images/create; a reference without tag or digest pulls `latest`. */
export function pullQuery(reference: string): Query {
  if (reference.includes('@')) return { fromImage: reference };
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', lastSlash + 1);
  if (colon < 0) return { fromImage: reference, tag: 'latest' };
  return { fromImage: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

/** Newline-delimited JSON events; ends when the connection drops or close() is called. */
export function eventStream(response: Readable): AsyncIterable<EngineEvent> & { close(): void } {
  response.setEncoding('utf8');
  async function* read(): AsyncGenerator<EngineEvent> {
    let pending = '';
    try {
      for await (const chunk of response as AsyncIterable<string>) {
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          const event = line === '' ? null : parseEvent(line);
          if (event) yield event;
        }
      }
    } catch {
      // A dropped connection (or close()) ends the stream; the caller re-subscribes and re-lists.
    } finally {
      response.destroy();
    }
  }
  const events = read();
  return {
    [Symbol.asyncIterator]: () => events,
    close: () => response.destroy(),
  };
}

function parseEvent(line: string): EngineEvent | null {
  try {
    return JSON.parse(line) as EngineEvent;
  } catch {
    return null;
  }
}

function definedEntries(query: Query): Record<string, string | number | boolean> {
  const defined: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) defined[key] = value;
  return defined;
}
