import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { startController } from '../../controller/controller.js';
import { discoverProjectKeys } from '../../controller/project-keys.js';
import { parseDuration } from '../../desired-state/syntax/duration.js';
import { UsageError } from '../../errors/kinds.js';
import { defaultAuditLogPath } from '../../audit/audit-path.js';
import { DEFAULT_BACKUP_DESTINATION } from '../../backup/index.js';
import { createDockerEngine } from '../../engine/docker-engine.js';
import { DEFAULT_METRICS_ADDRESS } from '../../observability/listen-address.js';
import { createLogger, type LogFormat } from '../../observability/logger.js';
import type { Command } from '../command.js';

// `composelet run MANIFESTS_ROOT`: the controller, until SIGTERM or SIGINT.

function durationMs(value: string | undefined, fallbackMs: number, option: string, minimumMs: number): number {
  if (value === undefined) return fallbackMs;
  const parsed = parseDuration(value);
  if (!parsed.ok || parsed.value < minimumMs * 1_000_000) {
    throw new UsageError(`${option}: expected a duration of at least ${minimumMs / 1000}s, got "${value}"`);
  }
  return Math.round(parsed.value / 1_000_000);
}

export const runCommand: Command = {
  name: 'run',
  summary: 'keep every project under a manifests root converged (the controller)',
  help: `Usage: composelet run MANIFESTS_ROOT [options]

Runs the controller: every project under MANIFESTS_ROOT (a project directory, or a directory whose
subdirectories are projects) is kept converged. It reacts to manifest edits (debounced, safe with atomic
saves and git pull), to engine events on containers it owns (die, stop, kill, oom, destroy,
health_status, update, rename) and resyncs every --resync. Killed, stopped and removed containers come
back; a crash-looping service backs off (first restart at once, then 10s doubling to 5m, reset after 10m
up; settable in x-composelet.healing); an unhealthy container is restarted after a grace period (30s).
A broken manifest edit is reported and the last good desired state stays in force. Backup schedules
(x-composelet.backup) run inside it; a run missed while it was down is made once at start; a service is
backed up before it is recreated. Backups without a destination go to $COMPOSELET_BACKUP_DIR (default
/var/lib/composelet/backups). The engine being
unreachable or restarted is survived. SIGTERM or SIGINT stops it cleanly (exit 0).
A project docker compose already runs is left exactly as it is and reported as "running under docker
compose, not adopted" (in /status, composelet status, composelet_project_not_adopted and the log) until
it is adopted: with --adopt, or \`x-composelet: { adopt: true }\` in that project's compose file, its
containers are replaced one service at a time by containers composelet owns (named volumes kept).

Options:
      --metrics-address ADDR  where /metrics, /healthz, /readyz and /status are served
                              (default ${DEFAULT_METRICS_ADDRESS}; loopback unless you choose otherwise)
      --resync DURATION       periodic full resync (default 30s)
      --prune                 remove orphans, and the containers of project directories that disappear
      --adopt                 take over every project docker compose runs (without it, only those
                              whose x-composelet says adopt: true; the others are reported, not changed)
      --log-level LEVEL       trace, debug, info (default), warn, error
      --log-format FORMAT     json (default when not a terminal), pretty, auto (default)
      --audit-log FILE        append every action to FILE (default $COMPOSELET_AUDIT_LOG, else
                              ~/.local/state/composelet/audit.log)
      --drift-interval D      how often drift is computed for metrics and logs (default 5m)
      --drift-report-dir DIR  also write each drift report there (latest.json, latest.md, history)
      --backup-catch-up-spread D  spread backups missed while down over this much after start (default 30s)
  -h, --help                  show this help

The engine is DOCKER_HOST or the default socket.`,
  options: {
    'metrics-address': { type: 'string' },
    resync: { type: 'string' },
    prune: { type: 'boolean' },
    adopt: { type: 'boolean' },
    'log-level': { type: 'string' },
    'log-format': { type: 'string' },
    'audit-log': { type: 'string' },
    'drift-interval': { type: 'string' },
    'drift-report-dir': { type: 'string' },
    'backup-catch-up-spread': { type: 'string' },
  },
  async run(input, io) {
    const [root, ...extra] = input.positionals;
    if (root === undefined) throw new UsageError('missing MANIFESTS_ROOT');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const resyncMs = durationMs(input.values.resync as string | undefined, 30_000, '--resync', 1_000);
    const format = ((input.values['log-format'] as string | undefined) ?? 'auto') as LogFormat;
    if (!['json', 'pretty', 'auto'].includes(format)) throw new UsageError(`--log-format: expected json, pretty or auto`);
    const absoluteRoot = resolve(io.cwd, root);
    if (discoverProjectKeys(absoluteRoot).length === 0) {
      throw new UsageError(`${absoluteRoot}: no compose project here nor in its subdirectories`);
    }
    const logger = createLogger({
      level: (input.values['log-level'] as string | undefined) ?? 'info',
      format,
      destination: io.stderr,
    });
    const controller = await startController({
      root: absoluteRoot,
      engine: createDockerEngine(io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {}),
      logger,
      metricsAddress: (input.values['metrics-address'] as string | undefined) ?? DEFAULT_METRICS_ADDRESS,
      resyncMs,
      prune: Boolean(input.values.prune),
      adopt: Boolean(input.values.adopt),
      environment: io.env,
      homeDir: homedir(),
      auditLogPath: (input.values['audit-log'] as string | undefined) ?? defaultAuditLogPath(io.env),
      driftIntervalMs: durationMs(input.values['drift-interval'] as string | undefined, 300_000, '--drift-interval', 1_000),
      driftReportDirectory: input.values['drift-report-dir'] ? resolve(io.cwd, input.values['drift-report-dir'] as string) : null,
      ...(io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {}),
      backupDestination: io.env.COMPOSELET_BACKUP_DIR || DEFAULT_BACKUP_DESTINATION,
      backupCatchUpSpreadMs: durationMs(input.values['backup-catch-up-spread'] as string | undefined, 30_000, '--backup-catch-up-spread', 0),
    });
    await new Promise<void>((resolveStop) => {
      const stop = (signal: NodeJS.Signals) => {
        logger.info({ signal }, 'stopping');
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        void controller.stop({ graceMs: 5_000 }).then(resolveStop);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
};
