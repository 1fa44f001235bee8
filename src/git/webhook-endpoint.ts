import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { WebhookEndpoint } from '../observability/metrics-server.js';
import type { GitMetrics } from './git-metrics.js';
import { pushOf, verifyWebhook } from './webhook-signature.js';

// POST /hooks/git on the metrics listener: a verified push to the branch asks for a fetch at once (the
// delivery coalesces bursts); a bad signature is 401 and counted; anything else verified is 202, ignored.
// The secret file is read on every delivery, so it can be rotated without a restart.

export const WEBHOOK_PATH = '/hooks/git';
export const WEBHOOK_MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface WebhookEndpointOptions {
  secretFile: string;
  branch: string;
  metrics: GitMetrics;
  logger: Logger;
  onPush: () => void;
}

export function createWebhookEndpoint(options: WebhookEndpointOptions): WebhookEndpoint {
  const { logger, metrics } = options;
  return {
    path: WEBHOOK_PATH,
    maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
    async handle({ headers, body }) {
      let secret: string;
      try {
        secret = (await readFile(options.secretFile, 'utf8')).trim();
      } catch (error) {
        logger.error({ file: options.secretFile, code: (error as NodeJS.ErrnoException).code }, 'webhook secret file cannot be read: refusing webhooks');
        return { status: 503, body: 'webhook secret unavailable' };
      }
      const verdict = verifyWebhook({ headers, body, secret });
      if (!verdict.ok) {
        metrics.recordWebhook('bad_signature');
        logger.warn({ reason: verdict.reason }, 'webhook refused: bad signature');
        return { status: 401, body: 'bad signature' };
      }
      const push = pushOf({ headers, body });
      if (push.kind === 'ping') {
        metrics.recordWebhook('ignored');
        return { status: 200, body: 'pong' };
      }
      if (push.kind === 'other' || push.branch !== options.branch) {
        metrics.recordWebhook('ignored');
        const detail = push.kind === 'other' ? push.detail : `a push to ${push.branch}, not ${options.branch}`;
        logger.debug({ provider: verdict.provider }, `webhook ignored: ${detail}`);
        return { status: 202, body: `ignored: ${detail}` };
      }
      metrics.recordWebhook('accepted');
      logger.info({ provider: verdict.provider, branch: push.branch }, 'webhook: push received, fetching');
      options.onPush();
      return { status: 202, body: 'fetching' };
    },
  };
}
