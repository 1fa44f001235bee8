import type Dockerode from 'dockerode';
import { UsageError } from '../errors/kinds.js';

// Where the Docker engine is, from DOCKER_HOST, and which API version to speak to it. Pure: the adapter
// (docker-engine.ts) reads the environment once and passes the value in.

export const DEFAULT_SOCKET_PATH = '/var/run/docker.sock';
const DEFAULT_TCP_PORT = 2375;

export interface DockerHost {
  /** The address as a user would write it in DOCKER_HOST; error messages name it. */
  address: string;
  /** Every connection field is set (to undefined when unused) so dockerode's own reading of the
   * environment cannot mix a socket path from one place with a host from another. */
  dockerodeOptions: Dockerode.DockerOptions;
}

/** `unix:///path`, `tcp://host[:port]` or `http://host[:port]` (plain HTTP); absent or empty means the
 * default socket. TLS (`https://`, DOCKER_TLS_VERIFY), `ssh://` and `npipe://` are not supported. */
export function parseDockerHost(value: string | undefined): DockerHost {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return unixHost(DEFAULT_SOCKET_PATH);
  if (trimmed.startsWith('unix://')) {
    const socketPath = trimmed.slice('unix://'.length);
    return unixHost(socketPath === '' ? DEFAULT_SOCKET_PATH : socketPath);
  }
  if (trimmed.startsWith('tcp://') || trimmed.startsWith('http://')) return tcpHost(trimmed);
  throw new UsageError(
    `unsupported DOCKER_HOST ${JSON.stringify(trimmed)}: use unix:///path/to/docker.sock or tcp://host:port`,
  );
}

function unixHost(socketPath: string): DockerHost {
  return {
    address: `unix://${socketPath}`,
    dockerodeOptions: { socketPath, host: undefined, port: undefined, protocol: 'http' },
  };
}

function tcpHost(value: string): DockerHost {
  let url: URL;
  try {
    url = new URL(value.replace(/^tcp:\/\//, 'http://'));
  } catch {
    throw new UsageError(`invalid DOCKER_HOST ${JSON.stringify(value)}: expected tcp://host:port`);
  }
  if (url.hostname === '' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '') {
    throw new UsageError(`invalid DOCKER_HOST ${JSON.stringify(value)}: expected tcp://host:port`);
  }
  const port = url.port === '' ? DEFAULT_TCP_PORT : Number(url.port);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    address: `tcp://${url.hostname}:${port}`,
    dockerodeOptions: { socketPath: undefined, host: hostname, port, protocol: 'http' },
  };
}

/** The API version composelet is written against: engine 20.10. */
export const PREFERRED_API_VERSION = '1.41';

/** The version to put in request paths: 1.41 when the engine speaks it; the engine's own version when it
 * is older; the engine's minimum when it dropped 1.41 (Docker 29 and later accept 1.44 and up). */
export function chooseApiVersion(server: { ApiVersion: string; MinAPIVersion?: string }): string {
  if (compareApiVersions(server.ApiVersion, PREFERRED_API_VERSION) < 0) return server.ApiVersion;
  if (server.MinAPIVersion && compareApiVersions(server.MinAPIVersion, PREFERRED_API_VERSION) > 0) {
    return server.MinAPIVersion;
  }
  return PREFERRED_API_VERSION;
}

export function compareApiVersions(left: string, right: string): number {
  const leftParts = left.split('.').map(Number);
  const rightParts = right.split('.').map(Number);
  for (let index = 0; index < Math.max(leftParts.length, rightParts.length); index++) {
    const difference = (leftParts[index] ?? 0) - (rightParts[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
