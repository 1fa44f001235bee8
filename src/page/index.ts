import type { Logger } from 'pino';
import { collectSnapshot, type PageSources } from './model/collect.js';
import { loadPageAssets } from './server/assets.js';
import { createPageAuth } from './server/auth.js';
import { createStatusPage, type StatusPage } from './server/page-routes.js';
import { createFailureLimiter } from './server/rate-limit.js';

// The live status page `composelet run` serves at `/` on its listener (see README): model/ gathers the
// controller's data into one snapshot, render/ and graph/ turn it into HTML and SVG on the server,
// server/ has the routes, the event stream, the token check, the headers and the rate limit, client/ the
// small script that keeps it live.

export type { StatusPage } from './server/page-routes.js';
export type { PageSources } from './model/collect.js';
export { parseUiToken } from './server/auth.js';

export interface ControllerPageOptions {
  sources: PageSources;
  /** --ui-token-file's token; null: no token (the listener is on loopback). */
  token: string | null;
  logger: Logger;
  /** Paths that never need the token (probes, the signed webhook). */
  openPaths: readonly string[];
  /** Where page.js and page.css are (default: dist/page beside the bundle). */
  assetsDirectory?: string;
}

export interface ControllerPage extends StatusPage {
  /** Logs the one-time login link for this listener address (only with a token). */
  announce(address: string): void;
}

export function createControllerPage(options: ControllerPageOptions): ControllerPage {
  const auth = createPageAuth({ token: options.token });
  let address = '';
  const logLink = (message: string) => {
    const code = auth.loginCode();
    if (code !== null) options.logger.info({ login: `http://${address}/login?code=${code}` }, message);
  };
  const page = createStatusPage({
    snapshot: () => collectSnapshot(options.sources),
    auth,
    limiter: createFailureLimiter({ maxFailures: 5, windowMs: 60_000 }),
    assets: loadPageAssets(options.assetsDirectory),
    openPaths: options.openPaths,
    onError: (error) => options.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'status page failed'),
    onRedeemed: () => logLink('status page: login link used; the next one (good once)'),
  });
  return {
    ...page,
    announce(listening) {
      address = listening;
      options.logger.info({ page: `http://${listening}/`, signIn: auth.required ? 'required' : 'not needed' }, auth.required ? 'status page served; it needs the token' : 'status page served');
      logLink('status page: open this login link once to sign in (or send Authorization: Bearer <token>)');
    },
  };
}
