import type { Logger } from 'pino';
import { map, merge, mergeMap, of, Subscription, timer } from 'rxjs';
import { createAuditGate } from './audit-gate.js';
import { countingEngine } from '../engine/counting-engine.js';
import { createRedactor } from '../redaction/redact.js';
import { driftSchedule, runDriftPass } from './drift-watch.js';
import { defaultStateDir } from '../state/state-dir.js';
import { createBackupScheduler } from './backup-scheduler.js';
import { nodeEnginesFrom } from '../swarm/backup/node-engines.js';
import { withSwarmBackups } from '../swarm/backup/swarm-backups.js';
import { backupStatuses } from '../backup/index.js';
import { createBackupEngine, DEFAULT_BACKUP_DESTINATION, sweepHelperContainers } from '../backup/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { ControllerEvent } from '../notify/events.js';
import { createNotifier } from '../notify/notifier.js';
import { withNotifications } from '../notify/notifying-metrics.js';
import type { NotifyTarget } from '../notify/targets.js';
import { createMetrics, type ControllerMetrics } from '../observability/metrics.js';
import { startMetricsServer, type MetricsServer } from '../observability/metrics-server.js';
import { discoverProjectKeys } from './project-keys.js';
import { ProjectReconciler } from './project-reconciler.js';
import { readSelfContainerId } from './self-container.js';
import { NotAdoptedError } from './adoption-status.js';
import type { ReconcileResult } from '../observability/metric-label-values.js';
import { createWorkQueue, type ReconcileOutcome, type WorkQueue } from './queue/work-queue.js';
import { engineEvents } from './sources/engine-events.js';
import { manifestChanges } from './sources/manifest-changes.js';
import { resync } from './sources/resync.js';
import { suspensionChanges } from './sources/suspension-changes.js';
import { ensureSuspensionDirectory } from '../operations/suspend/suspension-store.js';
import type { StateStore } from './state/state-store.js';
import type { SecretSources } from '../desired-state/secrets/secret-sources.js';
import type { GitDelivery } from '../git/git-delivery.js';
import type { ScheduleExpression } from '../operations/schedule-expression.js';
import { createGcScheduler } from './schedules/gc-schedule.js';
import { createReportScheduler } from './schedules/report-schedule.js';
import { createScheduleMetrics } from './schedules/schedule-metrics.js';
import type { DriftReport } from '../drift/model.js';
import { createControllerPage } from '../page/index.js';
import type { Target } from '../swarm/target.js';
import { createSwarmReconciler } from '../swarm/controller/create-swarm-reconciler.js';
import { swarmProjectDrift } from '../swarm/controller/swarm-drift-report.js';

// `composelet run`: three inputs (manifest file changes, engine events, a periodic resync) become project
// keys on one work queue; the queue runs one reconcile per key at a time, projects in parallel. Metrics
// and logs of reconciles live here, in the wrapper, not in the reconcile itself.

/** After an engine event, the project is reconciled at once and again after these delays. */
const EVENT_FOLLOW_UPS_MS = [250, 1_000];
/** After the grace period aborts the reconciles, how long their engine calls in flight may still take
 * (a container stop blocks for the container's whole stop timeout) before stop() gives up on them. */
const ABANDON_AFTER_ABORT_MS = 500;

export interface ControllerOptions {
  root: string;
  engine: EnginePort;
  logger: Logger;
  metricsAddress: string;
  resyncMs: number;
  prune: boolean;
  /** `run --adopt`: take over every project docker compose runs (else only those with x-composelet.adopt). */
  adopt?: boolean;
  environment: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** `--secrets-dir` and `--age-key-file`, opened once at start. */
  secrets?: SecretSources;
  /** Projects reconciled at once (default 4). */
  concurrency?: number;
  waitTimeoutMs?: number;
  /** The audit log every action goes to (null: none, for tests that do not look). */
  auditLogPath: string | null;
  /** Drift pass period; reports written here when set. */
  driftIntervalMs?: number;
  driftReportDirectory?: string | null;
  /** DOCKER_HOST, for the backup engine's exec and archive calls. */
  dockerHost?: string;
  /** Where backups without a destination go; null turns backups off in the controller. */
  backupDestination?: string | null;
  /** How often backup schedules are checked (default 15 s). */
  backupTickMs?: number;
  /** Catch-up runs at start are spread over this much (default 30 s). */
  backupCatchUpSpreadMs?: number;
  /** The state file: what the last controller remembered, and where changes go (none: memory only). */
  stateStore?: StateStore | null;
  /** `--state-dir`: where the volume records live too (default: defaultStateDir of the environment). */
  /** The container this controller runs in; default: read from /proc (self-container.ts), null outside one. */
  selfContainerId?: string | null;
  stateDir?: string;
  /** `run --git`: `root` is its checkout; it says when a new commit is in force (no file watcher then). */
  delivery?: GitDelivery | null;
  /** `--notify`: where notifications go (none: no notifier). */
  notifyTargets?: NotifyTarget[];
  /** `--report-dir` and `--report-schedule`: the daily report written there on that schedule (null: none). */
  dailyReport?: { directory: string; schedule: ScheduleExpression } | null;
  /** The status page at `/` (src/page): `token` from --ui-token-file (null: none, loopback only). Null: no
   * page (--no-ui). Default: the page without a token. */
  page?: { token: string | null; assetsDirectory?: string } | null;
  /** `run --target`: where every project runs, over its x-composelet.target (src/swarm/target.ts). */
  target?: Target;
}

export interface RunningController {
  metricsAddress: string;
  metrics: ControllerMetrics;
  /** Stops taking work, lets in-flight reconciles finish (abandoning them after graceMs), closes everything. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export async function startController(options: ControllerOptions): Promise<RunningController> {
  const { logger } = options;
  const ownMetrics = createMetrics();
  const counted = countingEngine(options.engine);
  counted.onCall((call) => ownMetrics.recordEngineCall(call));
  let engineConnected = false;
  let watcherReady = false;
  let knownKeys = discoverProjectKeys(options.root);

  const redactor = createRedactor(options.environment.COMPOSELET_REDACTION_KEY ? { key: options.environment.COMPOSELET_REDACTION_KEY } : {});
  const notifier = options.notifyTargets?.length
    ? createNotifier({ targets: options.notifyTargets, redactor, logger, onResult: (result) => ownMetrics.recordNotification(result) })
    : null;
  const metrics = notifier ? withNotifications(ownMetrics, (event) => notifier.notify(event)) : ownMetrics;
  // Fail closed: while the audit log cannot be written, nothing is changed (audit-gate.ts).
  const auditGate = createAuditGate({
    path: options.auditLogPath,
    logger,
    metrics,
    redactor,
    onRecovered: () => addAll(),
  });
  const backupEngine = options.backupDestination
    ? createBackupEngine({ port: counted.engine, ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}) })
    : null;
  const backupResolveOptions = { defaultDestination: options.backupDestination ?? DEFAULT_BACKUP_DESTINATION };
  // Projects that target Swarm: reconciled on the cluster the engine manages (src/swarm/controller).
  const swarm = createSwarmReconciler({ ...options, stateDir: options.stateDir ?? defaultStateDir(options.environment), metrics, redactor, audit: (entries) => auditGate.appendChecked(entries) });
  const reconciler = new ProjectReconciler({
    backups: backupEngine ? { engine: backupEngine, resolveOptions: backupResolveOptions } : null,
    beforeExecuting: (planned) => auditGate.beforeExecuting(planned),
    onExecuted: (planned, report) => auditGate.afterExecuting(planned, report),
    root: options.root,
    engine: counted.engine,
    logger,
    metrics,
    ...(notifier ? { notify: (event: ControllerEvent) => notifier.notify(event) } : {}),
    environment: options.environment,
    homeDir: options.homeDir,
    ...(options.secrets ? { secrets: options.secrets } : {}),
    prune: options.prune,
    adopt: options.adopt ?? false,
    waitTimeoutMs: options.waitTimeoutMs ?? 120_000,
    concurrency: 4,
    ...(options.stateStore ? { remembered: options.stateStore.initial } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(options.delivery ? { commitInForce: options.delivery.commitInForce, onFailedRollouts: options.delivery.rolloutsFailed } : {}),
    selfContainerId: options.selfContainerId === undefined ? readSelfContainerId() : options.selfContainerId,
    ...(options.target ? { target: options.target } : {}),
    swarm: swarm.reconciler,
  });

  // The operator's day (controller/schedules/): gc on x-composelet.gc.schedule, the daily report on --report-schedule.
  const stateDir = options.stateDir ?? defaultStateDir(options.environment);
  const scheduleMetrics = createScheduleMetrics(metrics.registry);
  const gcScheduler = createGcScheduler({
    engine: counted.engine,
    logger,
    metrics: scheduleMetrics,
    redactor,
    stateDir,
    desiredProjects: () => reconciler.desiredProjects(),
    audit: (entries) => auditGate.append(entries),
    writable: () => auditGate.writable(),
  });
  const reportScheduler = options.dailyReport
    ? createReportScheduler({
        engine: counted.engine,
        logger,
        metrics: scheduleMetrics,
        redactor,
        directory: options.dailyReport.directory,
        schedule: options.dailyReport.schedule,
        manifestPath: options.root,
        stateDir,
        auditPath: options.auditLogPath,
        backupDestination: backupResolveOptions.defaultDestination,
        desiredProjects: () => reconciler.desiredProjects(),
        audit: (entries) => auditGate.append(entries),
      })
    : null;

  const queue: WorkQueue<string> = createWorkQueue<string>({
    concurrency: options.concurrency ?? 4,
    reconcile: (key, signal) => reconciler.reconcile(key, signal),
    onEvent: (event) => {
      if (event.type === 'depth') metrics.setQueueDepth(event.depth);
      if (event.type === 'started' || event.type === 'finished') metrics.setReconcilesInFlight(queue.inFlight());
      if (event.type === 'started') logger.debug({ project: event.key }, 'reconcile started');
      if (event.type === 'finished') {
        page?.changed();
        reconciler.forgetProjectsOutside(knownKeys);
        options.stateStore?.update(reconciler.remembered());
        gcScheduler.sync();
        logger.debug({ project: event.key, outcome: event.outcome.kind, durationMs: event.durationMs }, 'reconcile done');
        metrics.recordReconcile(reconciler.projectNameOf(event.key), resultOf(event.outcome), event.durationMs / 1000);
        // Not adopted is logged by the reconciler when it starts, not after every reconcile.
        if (event.outcome.kind === 'error' && !(event.outcome.error instanceof NotAdoptedError)) {
          const cause = event.outcome.error instanceof Error ? event.outcome.error.message : String(event.outcome.error);
          logger.warn({ project: event.key, terminal: event.outcome.terminal ?? false }, `reconcile failed: ${cause}`);
        }
      }
      if (event.type === 'requeued' && event.reason === 'error') {
        // The backoff is the latest retry: an engine event (a dependency turning healthy) or an edit wakes it sooner.
        logger.info({ project: event.key, delayMs: event.delayMs }, `retrying in ${Math.round(event.delayMs / 1000)}s at the latest (sooner on an engine event or a manifest change)`);
      }
    },
  });
  const addAll = () => {
    knownKeys = discoverProjectKeys(options.root);
    for (const key of knownKeys) queue.add(key);
  };

  // A new commit is a new tree behind a symlink: every project is looked at again, no watcher needed.
  options.delivery?.start({
    registry: metrics.registry,
    onSwitched: () => addAll(),
    audit: (entries) => auditGate.append(entries),
    ...(notifier ? { notify: (event: ControllerEvent) => notifier.notify(event) } : {}),
  });
  let latestDrift: DriftReport | null = null;
  const pageOptions = options.page === undefined ? { token: null } : options.page;
  const page = pageOptions === null
    ? null
    : createControllerPage({
        token: pageOptions.token,
        logger,
        openPaths: ['/healthz', '/readyz', ...(options.delivery?.webhook ? [options.delivery.webhook.path] : [])],
        ...(pageOptions.assetsDirectory ? { assetsDirectory: pageOptions.assetsDirectory } : {}),
        sources: {
          engine: counted.engine,
          engineConnected: () => engineConnected,
          readOnly: () => !auditGate.writable(),
          projects: () => reconciler.desiredProjects(),
          statuses: () => reconciler.status(),
          backups: () => backupStatuses(reconciler.desiredProjects(), backupResolveOptions),
          git: () => options.delivery?.status() ?? null,
          drift: () => latestDrift,
          auditLogPath: options.auditLogPath,
          redactor,
        },
      });
  const server: MetricsServer = await startMetricsServer({
    address: options.metricsAddress,
    registry: metrics.registry,
    health: () => ({ healthy: true }),
    readiness: () => {
      if (!engineConnected) return { ready: false, detail: 'engine not connected' };
      if (!watcherReady) return { ready: false, detail: 'manifest watcher starting' };
      if (!reconciler.reconciledOnce(knownKeys)) return { ready: false, detail: 'first reconcile of every project not done yet' };
      return { ready: true };
    },
    status: async () => ({
      engineConnected,
      readOnly: !auditGate.writable(),
      auditLog: auditGate.status(),
      projects: reconciler.status(),
      backups: await backupStatuses(reconciler.desiredProjects(), backupResolveOptions),
      ...(options.delivery ? { git: options.delivery.status() } : {}),
      schedules: { gc: gcScheduler.status(), report: reportScheduler?.status() ?? null },
    }),
    ...(options.delivery?.webhook ? { webhook: options.delivery.webhook } : {}),
    ...(page ? { intercept: page.intercept } : {}),
  });
  page?.announce(server.address);

  const subscription = new Subscription();
  if (options.delivery) watcherReady = true;
  else subscription.add(
    manifestChanges({
      root: options.root,
      onReady: () => {
        watcherReady = true;
        logger.debug('watching the manifests');
      },
    }).subscribe({
      next: (key) => {
        logger.info({ project: key }, 'manifests changed');
        queue.add(key);
      },
      error: (error: unknown) => logger.error({ error }, 'manifest watcher failed; periodic resync still picks up changes'),
    }),
  );
  subscription.add(
    engineEvents({
      engine: counted.engine,
      onStatus: (status, error) => {
        engineConnected = status === 'connected';
        metrics.setEngineConnected(engineConnected);
        if (status === 'disconnected') logger.warn({ error: error instanceof Error ? error.message : error }, 'engine events stream lost; reconnecting');
        else logger.info('engine events stream connected');
      },
    })
      .pipe(
        // The engine reports `die` a moment before a list call shows the container exited: look at once, and
        // again shortly after, so a stale first look cannot leave a killed container down until the resync.
        mergeMap((signal) =>
          signal.kind === 'event' ? merge(of(signal), ...EVENT_FOLLOW_UPS_MS.map((delayMs) => timer(delayMs).pipe(map(() => signal)))) : of(signal),
        ),
      )
      .subscribe((signal) => {
      page?.changed();
      if (signal.kind === 'reconnected') {
        logger.info('engine reachable again: relisting every project');
        addAll();
        return;
      }
      const key = reconciler.keyOfProject(signal.project);
      if (signal.event.Action === 'update') reconciler.markLimitsSuspect(signal.project, signal.event.Actor.ID);
      logger.debug({ project: signal.project, key, action: signal.event.Action, container: signal.event.Actor.Attributes['name'] }, 'engine event');
      if (key !== undefined) queue.add(key);
    }),
  );
  subscription.add(merge(resync({ periodMs: options.resyncMs })).subscribe(() => addAll()));
  // `composelet suspend` / `resume` write the state directory: the project is looked at again at once.
  const suspensionDirectory = await ensureSuspensionDirectory(options.stateDir ?? defaultStateDir(options.environment)).catch((error: unknown) => {
    logger.warn({ error: error instanceof Error ? error.message : error }, 'cannot watch suspensions; reconciles still read them');
    return null;
  });
  if (suspensionDirectory !== null) {
    subscription.add(
      suspensionChanges(suspensionDirectory).subscribe({
        next: (projectName) => {
          const key = reconciler.keyOfProject(projectName);
          logger.info({ project: projectName }, 'suspensions changed');
          if (key !== undefined) queue.add(key);
        },
        error: (error: unknown) => logger.warn({ error: error instanceof Error ? error.message : error }, 'suspension watcher failed; reconciles still read suspensions'),
      }),
    );
  }
  const backupScheduler = backupEngine
    ? createBackupScheduler({
        // Swarm projects' backups reach their database's task on its node (src/swarm/backup/).
        engine: withSwarmBackups(backupEngine, {
          ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}),
          projects: () => reconciler.desiredProjects(),
          nodeEngines: nodeEnginesFrom({ values: [], environment: options.environment }),
        }),
        logger,
        metrics,
        redactor,
        defaultDestination: backupResolveOptions.defaultDestination,
        startedAt: new Date(),
        ...(options.backupCatchUpSpreadMs !== undefined ? { maxJitterMs: options.backupCatchUpSpreadMs } : {}),
        desiredProjects: () => reconciler.desiredProjects(),
        audit: (entries) => auditGate.append(entries),
      })
    : null;
  if (backupEngine) {
    // Helpers a killed verify or backup left behind (helper-sweep.ts); the first tick runs after this.
    void sweepHelperContainers(backupEngine)
      .then((swept) => swept.forEach((helper) => logger.warn({ container: helper.name, project: helper.project }, `removed a backup helper left behind: ${helper.reason}`)))
      .catch((error: unknown) => logger.warn({ error: error instanceof Error ? error.message : error }, 'could not sweep backup helpers left behind'));
  }
  if (backupScheduler) {
    let ticking = false;
    subscription.add(
      timer(1_000, options.backupTickMs ?? 15_000).subscribe(() => {
        if (ticking || !auditGate.writable()) return; // read-only: backups wait for the audit log
        ticking = true;
        void backupScheduler.tick().finally(() => {
          ticking = false;
        });
      }),
    );
  }
  let driftRunning = false;
  subscription.add(
    driftSchedule(options.driftIntervalMs ?? 300_000).subscribe(() => {
      if (driftRunning) return;
      driftRunning = true;
      runDriftPass({
        engine: counted.engine,
        root: options.root,
        logger,
        metrics,
        redactor,
        reportDirectory: options.driftReportDirectory ?? null,
        stateDir: options.stateDir ?? defaultStateDir(options.environment),
        desiredState: () => ({ projects: reconciler.desiredProjects() }),
        onReport: (report) => {
          latestDrift = report;
          page?.changed();
        },
        swarm: { isSwarm: swarm.isSwarm, projectDrift: (project) => swarmProjectDrift(project, swarm.port, redactor) },
        heldDeploys: () => new Map(reconciler.status().flatMap((status) => (status.gitHeld && status.projectName ? [[status.projectName, status.gitHeld] as const] : []))),
      })
        .catch((error: unknown) => logger.warn({ error: error instanceof Error ? error.message : error }, 'drift pass failed; next one on schedule'))
        .finally(() => {
          driftRunning = false;
        });
    }),
  );

  reportScheduler?.start();
  addAll();
  logger.info({ root: options.root, projects: knownKeys, metrics: server.address, resyncMs: options.resyncMs }, 'controller started');

  let stopping: Promise<void> | null = null;
  return {
    metricsAddress: server.address,
    metrics,
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        subscription.unsubscribe();
        backupScheduler?.stop();
        gcScheduler.stop();
        reportScheduler?.stop();
        await options.delivery?.stop();
        const graceMs = stopOptions.graceMs ?? 5_000;
        let deadline: ReturnType<typeof setTimeout> | undefined;
        const drained = await Promise.race([
          queue.shutdown({ graceMs }).then(() => true),
          new Promise<false>((resolve) => (deadline = setTimeout(() => resolve(false), graceMs + ABANDON_AFTER_ABORT_MS))),
        ]);
        clearTimeout(deadline);
        if (!drained) {
          // The engine finishes what it was asked (a stop, a create); the next start re-reads the world.
          logger.warn({ inFlight: queue.inFlight() }, 'engine calls still running after the grace period: abandoned');
        }
        options.stateStore?.update(reconciler.remembered());
        await options.stateStore?.flush();
        await notifier?.stop();
        page?.close();
        await server.close();
        await auditGate.close();
        logger.info('controller stopped');
      })();
      return stopping;
    },
  };
}

function resultOf(outcome: ReconcileOutcome): ReconcileResult {
  switch (outcome.kind) {
    case 'done':
      return 'success';
    case 'requeue-after':
      return 'requeue';
    case 'error':
      if (outcome.error instanceof NotAdoptedError) return 'not_adopted';
      return outcome.terminal ? 'invalid_manifest' : 'error';
  }
}
