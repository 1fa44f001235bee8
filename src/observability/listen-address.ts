import { isIPv6 } from 'node:net';

// Where the metrics server listens, written `host:port`. Loopback is the default: metrics and /status
// say which projects and services run here, so exposing them beyond this host is an explicit choice
// (`0.0.0.0:9464`, `[::]:9464`, or `:9464` for every interface).

export const DEFAULT_METRICS_ADDRESS = '127.0.0.1:9464';

export interface ListenAddress {
  /** Undefined: every interface (`:9464`). */
  host: string | undefined;
  /** 0 asks the system for a free port. */
  port: number;
}

/** `127.0.0.1:9464`, `localhost:9464`, `[::1]:9464`, `:9464` (all interfaces). */
export function parseListenAddress(address: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(address.trim());
  if (match === null) {
    const hint = isIPv6(address.trim()) || address.split(':').length > 2 ? ' (IPv6 addresses need brackets: [::1]:9464)' : '';
    throw new Error(`invalid listen address '${address}': expected host:port, e.g. 127.0.0.1:9464 or :9464${hint}`);
  }
  const [, bracketedHost, plainHost, portText] = match;
  const port = Number(portText);
  if (!Number.isInteger(port) || port > 65535) throw new Error(`invalid listen address '${address}': port must be 0 to 65535`);
  if (bracketedHost !== undefined && !isIPv6(bracketedHost)) throw new Error(`invalid listen address '${address}': '${bracketedHost}' is not an IPv6 address`);
  const host = bracketedHost ?? plainHost;
  return { host: host === undefined || host === '' ? undefined : host, port };
}

/** `127.0.0.1:9464`, `[::1]:9464`: what a client can connect to. */
export function formatListenAddress(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}
