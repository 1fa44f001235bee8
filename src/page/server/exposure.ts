import { isIP } from 'node:net';
import { parseListenAddress } from '../../observability/listen-address.js';

// Whether the page may be served where the listener listens: on loopback it may, token or not; anywhere
// else only with --ui-token-file (or with no page at all, --no-ui). Decided once at start, so that a
// controller never comes up showing its services to the network without a token.

export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false; // every interface
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export type PageExposure = { page: false } | { page: true; needsToken: boolean };

/** Throws, naming the fixes, when a listener beyond loopback would serve the page without a token. */
export function pageExposure(options: { address: string; tokenFile: string | null; noUi: boolean }): PageExposure {
  if (options.noUi) return { page: false };
  const loopback = isLoopbackHost(parseListenAddress(options.address).host);
  if (!loopback && options.tokenFile === null) {
    throw new Error(
      `--metrics-address ${options.address} is not loopback: the status page there needs --ui-token-file FILE (a token of at least 16 characters; e.g. openssl rand -hex 32 > FILE), or --no-ui to serve only /metrics, /healthz, /readyz and /status`,
    );
  }
  return { page: true, needsToken: options.tokenFile !== null };
}
