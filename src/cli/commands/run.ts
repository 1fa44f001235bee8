import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { startController, type ControllerOptions } from '../../controller/controller.js';
import { acquireControllerLock, ControllerLockHeldError, type ControllerLock } from '../../controller/lock/controller-lock.js';
import { controllerPaths, type ControllerIdentity } from '../../controller/lock/controller-identity.js';
import { describeHolder, type LeaseRecord } from '../../controller/lock/lease.js';
import { startStandbyServer } from '../../controller/lock/standby-server.js';
import type { MetricsServer } from '../../observability/metrics-server.js';
import { openStateStore, StateFileError, type StateStore } from '../../controller/state/state-store.js';
import { parseDockerHost } from '../../engine/docker-host.js';
import { parseNotifyTarget, type NotifyTarget } from '../../notify/targets.js';
import { defaultStateDir } from '../../state/state-dir.js';
import { discoverProjectKeys } from '../../controller/project-keys.js';
import { parseDuration } from '../../desired-state/syntax/duration.js';
import { UsageError } from '../../errors/kinds.js';
import { secretSourcesFromOptions } from '../manifest-options.js';
import { defaultAuditLogPath } from '../../audit/audit-path.js';
import { DEFAULT_BACKUP_DESTINATION } from '../../backup/index.js';
import { createDockerEngine } from '../../engine/docker-engine.js';
import { DEFAULT_METRICS_ADDRESS } from '../../observability/listen-address.js';
import { createLogger, type LogFormat } from '../../observability/logger.js';
import { write, type CliIo, type Command } from '../command.js';
import { createGitDelivery } from '../../git/git-delivery.js';
import { GIT_RUN_OPTIONS, parseGitRunOptions } from '../../git/git-options.js';
import { dailyReportOptions } from './run-report-options.js';
import { parseTarget } from '../../swarm/target.js';
import { readFileSync } from 'node:fs';
import { pageExposure } from '../../page/server/exposure.js';
import { parseUiToken } from '../../page/index.js';

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
       composelet run --git URL [--branch B] [--git-path DIR] [--poll D] [options]

Runs the controller: every project under MANIFESTS_ROOT (a project directory, or a directory whose
subdirectories are projects) is kept converged. It reacts to manifest edits (debounced, safe with atomic
saves and git pull), to engine events on containers it owns (die, stop, kill, oom, destroy,
health_status, update, rename) and resyncs every --resync. Killed, stopped and removed containers come
back; a crash-looping service backs off (first restart at once, then 10s doubling to 5m, reset after 10m
up; settable in x-composelet.healing); an unhealthy container is restarted after a grace period (30s).
A broken manifest edit is reported and the last good desired state stays in force.

One controller per manifests root and engine: a second \`composelet run\` on them exits 1 naming the
running one (pid, host, since); with --standby it waits and takes over as soon as the first ends (even
by SIGKILL). The state dir holds, per root and engine (controllers/<hash>/): \`lock\` (an flock held by
a flock(1) child for the controller's lifetime), \`lease.json\` (pid, host, since, a heartbeat every
2s; a controller on another host sharing the engine and this dir waits until it is 10s old) and
\`state.json\` (crash-loop backoff and restart counts, containers updated in place; written atomically
when they change and loaded at start, so a restarted controller does not restart a crash-looping
service before its backoff ends). Backup schedules
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
                              (default ${DEFAULT_METRICS_ADDRESS}; loopback unless you choose otherwise),
                              and the live status page at / (read-only)
      --ui-token-file FILE    the page's token (first line, 16+ characters): needed to listen beyond
                              loopback; requests then send Authorization: Bearer <token> or use the
                              one-time login link the log prints (it sets a session cookie)
      --no-ui                 serve no page (then a non-loopback address needs no token)
      --resync DURATION       periodic full resync (default 30s)
      --prune                 remove orphans, and the containers of project directories that disappear
      --adopt                 take over every project docker compose runs (without it, only those
                              whose x-composelet says adopt: true; the others are reported, not changed)
      --target swarm|engine   where the projects run, over each one's x-composelet.target: swarm keeps them
                              converged as Swarm services on the cluster the engine manages (README,
                              Growing beyond one host)
      --log-level LEVEL       trace, debug, info (default), warn, error
      --log-format FORMAT     json (default when not a terminal), pretty, auto (default)
      --audit-log FILE        append every action to FILE (default $COMPOSELET_AUDIT_LOG, else
                              ~/.local/state/composelet/audit.log)
      --drift-interval D      how often drift is computed for metrics and logs (default 5m)
      --drift-report-dir DIR  also write each drift report there (latest.json, latest.md, history)
      --backup-catch-up-spread D  spread backups missed while down over this much after start (default 30s)
      --state-dir DIR         where the lock, the lease and the controller's state live (default
                              $COMPOSELET_STATE_DIR, else /var/lib/composelet for root, else
                              $XDG_STATE_HOME/composelet or ~/.local/state/composelet)
      --report-dir DIR        write the daily report there (daily-report-YYYY-MM-DD.md and .json, atomically,
                              audited), over the 24 hours before each run of --report-schedule
      --report-schedule CRON  when (default "0 18 * * *"; 5 fields, or 6 with seconds first)
      --standby               when another controller runs on this root and engine, wait and take over
                              when it ends (instead of exiting 1); meanwhile /healthz answers 200 and
                              /readyz 503 "standby" on the metrics address
      --secrets-dir DIR       DIR/<project name>.env is read as the project's .env (owner-only files)
      --age-key-file FILE     age identities for .env.age, .sops.env and encrypted env_files (owner-only)

      --notify URL            send notifications there (repeatable): crash loop entered/left, unhealthy
                              restarts, backup failed or missed, drift found, git commit quarantined;
                              once an hour at most per condition, "resolved" when it ends. https://…
                              is a generic JSON webhook,
                              ntfy+https://ntfy.sh/TOPIC is ntfy, slack+https://hooks.slack.com/… is a
                              Slack-compatible incoming webhook
Deliver from git (instead of MANIFESTS_ROOT): each fetched commit is checked out under
<state-dir>/git/checkouts/<sha>, loaded and policy-checked, then put in force by renaming a symlink
(<state-dir>/git/current). A commit that does not load, is blocked by policy, or whose rollout of a service
it changed fails, is quarantined: the last good one is in force again for every project and it is never
tried again. A failed fetch changes nothing; retried with backoff. A project-level suspension holds new
commits off that project until it is resumed.
      --git URL               https://, ssh://, git:// or user@host:path (no password in it)
      --branch BRANCH         the branch to follow (default main)
      --git-path DIR          the manifests root inside the repository (default its top)
      --poll DURATION         fetch this often (default 60s; 0: webhooks only)
      --git-token-file FILE   HTTPS: the token (or password), sent as basic auth through GIT_ASKPASS
      --git-ssh-key FILE      SSH: the private key; needs --git-known-hosts FILE (host keys always checked)
      --webhook-secret-file F enables POST /hooks/git on the metrics address (GitHub X-Hub-Signature-256,
                              Gitea/Forgejo X-Gitea-Signature, GitLab X-Gitlab-Token): a push fetches at once
      --require-signed-commits
                              only commits with an SSH signature git verifies against
      --git-allowed-signers F the allowed signers (ssh-keygen format); others are quarantined
      --deploy-window W       e.g. "Mon-Fri 06:00-20:00 Europe/Berlin" (repeatable): new commits are put in
                              force only inside a window; healing goes on always
  -h, --help                  show this help

The engine is DOCKER_HOST or the default socket.`,
  options: {
    'metrics-address': { type: 'string' },
    'ui-token-file': { type: 'string' },
    'no-ui': { type: 'boolean' },
    resync: { type: 'string' },
    prune: { type: 'boolean' },
    adopt: { type: 'boolean' },
    target: { type: 'string' },
    'log-level': { type: 'string' },
    'log-format': { type: 'string' },
    'audit-log': { type: 'string' },
    'drift-interval': { type: 'string' },
    'drift-report-dir': { type: 'string' },
    'backup-catch-up-spread': { type: 'string' },
    'state-dir': { type: 'string' },
    standby: { type: 'boolean' },
    'report-dir': { type: 'string' },
    'report-schedule': { type: 'string' },
    'secrets-dir': { type: 'string' },
    'age-key-file': { type: 'string' },
    ...GIT_RUN_OPTIONS,
    notify: { type: 'string', multiple: true },
  },
  async run(input, io) {
    const gitConfig = parseGitRunOptions({ values: input.values, positionals: input.positionals, cwd: io.cwd });
    const [root, ...extra] = input.positionals;
    if (root === undefined && gitConfig === null) throw new UsageError('missing MANIFESTS_ROOT (or --git URL)');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const resyncMs = durationMs(input.values.resync as string | undefined, 30_000, '--resync', 1_000);
    const format = ((input.values['log-format'] as string | undefined) ?? 'auto') as LogFormat;
    if (!['json', 'pretty', 'auto'].includes(format)) throw new UsageError(`--log-format: expected json, pretty or auto`);
    const target = parseTarget(input.values.target as string | undefined);
    if (target instanceof Error) throw new UsageError(target.message);
    const notifyTargets = parseNotifyOptions(input.values.notify as string[] | undefined);
    const dailyReport = dailyReportOptions({ directory: input.values['report-dir'] as string | undefined, schedule: input.values['report-schedule'] as string | undefined, cwd: io.cwd });
    const logger = createLogger({
      level: (input.values['log-level'] as string | undefined) ?? 'info',
      format,
      destination: io.stderr,
    });
    const page = pageOptions(input.values, io.cwd);
    const secrets = secretSourcesFromOptions(input.values, io.cwd);
    const stateDir = resolve(io.cwd, (input.values['state-dir'] as string | undefined) ?? defaultStateDir(io.env));
    const delivery = gitConfig ? createGitDelivery({ config: gitConfig, stateDir, logger, environment: io.env, homeDir: homedir(), secrets }) : null;
    const absoluteRoot = delivery ? delivery.manifestsRoot : resolve(io.cwd, root!);
    if (!delivery && discoverProjectKeys(absoluteRoot).length === 0) {
      throw new UsageError(`${absoluteRoot}: no compose project here nor in its subdirectories`);
    }
    // With --git the root is a symlink that moves from commit to commit: the identity is its path.
    const identity = { root: delivery ? absoluteRoot : realpathSync(absoluteRoot), engine: parseDockerHost(io.env.DOCKER_HOST).address };
    const controllerOptions: Omit<ControllerOptions, 'stateStore'> = {
      root: absoluteRoot,
      engine: createDockerEngine(io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {}),
      logger,
      metricsAddress: (input.values['metrics-address'] as string | undefined) ?? DEFAULT_METRICS_ADDRESS,
      resyncMs,
      prune: Boolean(input.values.prune),
      adopt: Boolean(input.values.adopt),
      environment: io.env,
      homeDir: homedir(),
      secrets,
      auditLogPath: (input.values['audit-log'] as string | undefined) ?? defaultAuditLogPath(io.env),
      driftIntervalMs: durationMs(input.values['drift-interval'] as string | undefined, 300_000, '--drift-interval', 1_000),
      driftReportDirectory: input.values['drift-report-dir'] ? resolve(io.cwd, input.values['drift-report-dir'] as string) : null,
      ...(io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {}),
      backupDestination: io.env.COMPOSELET_BACKUP_DIR || DEFAULT_BACKUP_DESTINATION,
      notifyTargets,
      backupCatchUpSpreadMs: durationMs(input.values['backup-catch-up-spread'] as string | undefined, 30_000, '--backup-catch-up-spread', 0),
      delivery,
      dailyReport,
      page,
      ...(target ? { target } : {}),
    };
    const stopRequested = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      stopRequested.abort(signal);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    try {
      return await runExclusively({ stateDir, identity, standby: Boolean(input.values.standby), controllerOptions, stop: stopRequested.signal, io });
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  },
};

/** Takes the lock (or waits for it with --standby), loads the state file, runs the controller until a stop
 * signal or the loss of the lock, and releases the lock last. Exit code: 0 stopped, 1 refused or lock lost. */
async function runExclusively(options: {
  stateDir: string;
  identity: ControllerIdentity;
  standby: boolean;
  controllerOptions: Omit<ControllerOptions, 'stateStore'>;
  stop: AbortSignal;
  io: CliIo;
}): Promise<number> {
  const { logger } = options.controllerOptions;
  let lock: ControllerLock;
  // While a standby waits, its metrics address answers /healthz (alive) and /readyz (503, standby).
  let standbyServer: MetricsServer | null = null;
  const onStandby = async (holder: LeaseRecord | null) => {
    standbyServer = await startStandbyServer({ address: options.controllerOptions.metricsAddress, holder: describeHolder(holder) });
    logger.info({ metrics: standbyServer.address }, 'standby: /healthz and /readyz served while waiting');
  };
  try {
    lock = await acquireControllerLock({ stateDir: options.stateDir, identity: options.identity, standby: options.standby, logger, signal: options.stop, onStandby });
  } catch (error) {
    if (error instanceof ControllerLockHeldError) {
      write(options.io.stderr, `composelet run: ${error.message}`);
      return 1;
    }
    if (options.stop.aborted) return 0;
    throw error;
  } finally {
    await (standbyServer as MetricsServer | null)?.close();
  }
  try {
    let stateStore: StateStore;
    try {
      stateStore = await openStateStore({ path: controllerPaths(options.stateDir, options.identity).state, identity: options.identity, logger });
    } catch (error) {
      if (!(error instanceof StateFileError)) throw error;
      write(options.io.stderr, `composelet run: ${error.message}`);
      return 1;
    }
    // --git: under the lock, until a good commit is checked out (a stop signal ends the wait).
    if (options.controllerOptions.delivery && !(await options.controllerOptions.delivery.prepare(options.stop))) return 0;
    const controller = await startController({ ...options.controllerOptions, stateStore, stateDir: options.stateDir });
    const stopped = new Promise<'stop'>((resolveStop) => {
      if (options.stop.aborted) resolveStop('stop');
      options.stop.addEventListener('abort', () => resolveStop('stop'), { once: true });
    });
    const outcome = await Promise.race([stopped, lock.lost]);
    if (outcome !== 'stop') logger.error({ reason: outcome }, `controller lock lost (${outcome}): stopping, so that two controllers never act at once`);
    await controller.stop({ graceMs: 5_000 });
    return outcome === 'stop' ? 0 : 1;
  } finally {
    await lock.release();
  }
}

/** --ui-token-file and --no-ui against --metrics-address (exposure.ts): the page's settings, or a usage error. */
function pageOptions(values: Record<string, unknown>, cwd: string): { token: string | null } | null {
  const address = (values['metrics-address'] as string | undefined) ?? DEFAULT_METRICS_ADDRESS;
  const tokenFile = values['ui-token-file'] === undefined ? null : resolve(cwd, values['ui-token-file'] as string);
  try {
    const exposure = pageExposure({ address, tokenFile, noUi: Boolean(values['no-ui']) });
    if (!exposure.page) return null;
    if (tokenFile === null) return { token: null };
    let text: string;
    try {
      text = readFileSync(tokenFile, 'utf8');
    } catch (error) {
      throw new Error(`--ui-token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    return { token: parseUiToken(text, tokenFile) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseNotifyOptions(values: string[] | undefined): NotifyTarget[] {
  try {
    return (values ?? []).map(parseNotifyTarget);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
