import type { Logger } from 'pino';
import { loadProject } from '../desired-state/load-project.js';
import { formatIssue } from '../desired-state/manifest-issue.js';
import type { SecretSources } from '../desired-state/secrets/secret-sources.js';
import type { Project } from '../desired-state/model.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { ControllerEvent } from '../notify/events.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import { newReconcileId, reconcileLogger } from '../observability/logger.js';
import { buildHashesOf, type PlannedProject } from '../reconciler/converge.js';
import { evaluatePolicy, policyBlocks, renderFindings } from '../policy/index.js';
import { servicesUnderBackup, type BackupEngine } from '../backup/index.js';
import { backUpBeforeReplacing } from '../reconciler/execute/pre-recreate-backups.js';
import { execute, type ExecutionReport } from '../reconciler/execute/execute.js';
import { observe } from '../reconciler/observe/observe.js';
import { observeRemembering, planKnowingImageVolumes } from '../reconciler/observe/anonymous-volume-inputs.js';
import { defaultStateDir } from '../state/state-dir.js';
import type { ObservedState } from '../reconciler/observe/observed-state.js';
import type { Plan } from '../reconciler/plan/plan.js';
import { plan, planDown } from '../reconciler/plan/planner.js';
import { renderOperation } from '../reconciler/plan/render-plan.js';
import { CrashLoopTracker } from './healing/crash-loop.js';
import { UnhealthyTracker } from './healing/unhealthy.js';
import { loadStaleTasks, type StaleTaskRecord } from './healing/stale-task-record.js';
import { isStaleTask } from '../engine/engine-errors.js';
import { healingInputs, serviceKey } from './healing-directives.js';
import { projectSourceOf } from './project-keys.js';
import { ProjectLoadCache } from '../desired-state/cache/project-cache.js';
import type { ReconcileOutcome } from './queue/work-queue.js';
import { emptyStatus, type ProjectStatus } from './project-status.js';
import { adoptionWanted } from '../desired-state/normalize/adoption-setting.js';
import { adoptionStatusOf, adoptionTransition, NotAdoptedError, type AdoptionStatus } from './adoption-status.js';
import type { RememberedState } from './state/controller-state-file.js';
import { findSelf, SELF_HOLD_REASON, withoutSelf, type SelfContainer } from '../reconciler/plan/ownership/self-protection.js';
import { earliest, suspensionInputs } from '../operations/suspend/suspension-inputs.js';
import { rolloutOutcomes } from '../reconciler/execute/rollout-outcomes.js';
import { failedSpecs, readFailedRollouts, type FailedRollouts } from '../state/failed-rollouts.js';
import { summarizePlan } from './plan-summary.js';
import { reportRollouts } from './rollouts/report-rollouts.js';
import { recordDeployed } from '../reconciler/execute/record-deployed.js';
import { createRedactor, type Redactor } from '../redaction/redact.js';
import { heldDeploy } from '../git/held-deploy.js';
import { targetOf, type Target } from '../swarm/target.js';
import type { SwarmReconciler } from '../swarm/controller/swarm-reconciler.js';

// reconcile(key): the controller's one business function. It gets only a project key, re-reads the
// manifests and the engine (level-triggered), turns what it remembers (crash-loop backoff, unhealthy
// since when) into planner inputs, plans, executes, and says when to look again. A broken manifest keeps
// the last good desired state in force; a vanished project directory leaves its containers running.


/** How soon a project is looked at again while the engine is restarting one of its containers. */
const ENGINE_RESTART_RECHECK_MS = 2_000;
export interface ReconcilerOptions {
  root: string;
  engine: EnginePort;
  logger: Logger;
  metrics: ControllerMetrics;
  /** One-off events for --notify (conditions reach it through the metrics, notify/notifying-metrics.ts). */
  notify?: (event: ControllerEvent) => void;
  environment: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** `--secrets-dir` and `--age-key-file` (secrets/secret-sources.ts). */
  secrets?: SecretSources;
  /** Remove orphans and the containers of vanished project directories. */
  prune: boolean;
  /** Take over every project's compose-made containers (`run --adopt`); without it, only the projects that
   * say `x-composelet: { adopt: true }` are adopted, the others are reported and left alone. */
  adopt?: boolean;
  waitTimeoutMs: number;
  concurrency: number;
  now?: () => number;
  /** Backups: the pre-recreate backup and the services a backup holds stopped (null: no backups). */
  backups?: { engine: BackupEngine; resolveOptions: { defaultDestination: string } } | null;
  /** Before a plan runs (and before its pre-recreate backups): false keeps it from running (the audit log
   * cannot be written: the controller is read-only, see audit-gate.ts). */
  beforeExecuting?: (planned: PlannedProject) => Promise<boolean>;
  /** After a plan ran (the audit log listens here). */
  onExecuted?: (planned: PlannedProject, report: ExecutionReport) => Promise<void>;
  /** Where remembered anonymous volumes are kept; default `defaultStateDir(environment)`. */
  stateDir?: string;
  /** What a previous controller left in the state file (crash-loop streaks, containers updated in place). */
  remembered?: RememberedState;
  /** `run --git`: the commit whose checkout `root` is now (recorded with each project's last good state). */
  commitInForce?: () => string | null;
  /** `run --git`: the project's desired specs whose rollout failed, at every reconcile that has some (git
   * delivery decides whether the commit in force is to blame). */
  onFailedRollouts?: (projectName: string, failed: Readonly<FailedRollouts>) => Promise<void>;
  /** The container this controller runs in (self-container.ts), null outside one: never recreated, stopped
   * or removed when it belongs to a project the controller manages. */
  selfContainerId?: string | null;
  /** `run --target`: overrides each project's x-composelet.target. */
  target?: Target;
  /** Reconciles the projects that target Swarm (src/swarm/controller); null or absent: none can run. */
  swarm?: SwarmReconciler | null;
}

export class ProjectReconciler {
  private readonly lastGood = new Map<string, Project>();
  /** project -> containers whose live limits the next reconcile inspects (absent: inspect them all). */
  private readonly limitSuspects = new Map<string, Set<string>>();
  /** project -> containers this controller updated in place (their limits label is stale for good). */
  private readonly updatedInPlace: Map<string, Set<string>>;
  /** Each project's last good load: unchanged inputs, the same model (nothing parsed or hashed again). */
  private readonly loadCache = new ProjectLoadCache();
  private readonly statuses = new Map<string, ProjectStatus>();
  private readonly crashLoops: CrashLoopTracker;
  /** Per project: a reconcile forgets the unhealthy containers it no longer sees, which must not be
   * another project's (one shared tracker let every project's reconcile reset the others' grace clocks). */
  private readonly unhealthyByProject = new Map<string, UnhealthyTracker>();
  /** Per project: containers the engine refused to start after its restart (a stale task), recreated next;
   * read from the state directory on the project's first reconcile, written there when it changes. */
  private readonly staleTasksByProject = new Map<string, StaleTaskRecord>();
  private readonly now: () => number;
  private readonly redactor: Redactor = createRedactor();
  /** `run --git`: per key, the last commit applied to the project (not held by a suspension). */
  private readonly appliedCommits = new Map<string, string | null>();

  constructor(private readonly options: ReconcilerOptions) {
    this.now = options.now ?? Date.now;
    this.crashLoops = new CrashLoopTracker(options.remembered?.crashLoops);
    this.updatedInPlace = new Map(Object.entries(options.remembered?.updatedInPlace ?? {}).map(([project, ids]) => [project, new Set(ids)]));
  }

  /** What must survive a restart, for the state file. */
  remembered(): RememberedState {
    const updatedInPlace = Object.fromEntries([...this.updatedInPlace].filter(([, ids]) => ids.size > 0).map(([project, ids]) => [project, [...ids]]));
    return { crashLoops: this.crashLoops.snapshot(), updatedInPlace };
  }

  /** Forgets what is remembered (crash-loop streaks, in-place updates) about projects none of these keys
   * holds, e.g. removed while no controller ran. Waits until every key has had a valid manifest once:
   * before, a key's project name is unknown, and its streaks must not be dropped. */
  forgetProjectsOutside(keys: readonly string[]): void {
    const names = new Set<string>();
    for (const key of keys) {
      const project = this.lastGood.get(key);
      if (project === undefined) return;
      names.add(project.name);
    }
    this.crashLoops.retainProjects(names);
    for (const projectName of this.updatedInPlace.keys()) if (!names.has(projectName)) this.updatedInPlace.delete(projectName);
  }

  /** The key of the project with this compose project name, when the controller knows it. */
  keyOfProject(projectName: string): string | undefined {
    for (const [key, project] of this.lastGood) if (project.name === projectName) return key;
    return undefined;
  }

  /** An engine `update` event: look at this container's live limits on the next reconcile. */
  markLimitsSuspect(projectName: string, containerId: string): void {
    this.limitSuspects.get(projectName)?.add(containerId);
  }

  private recordInPlaceUpdates(projectName: string, observed: ObservedState, thePlan: Plan, report: ExecutionReport): void {
    for (const operation of thePlan.operations) {
      if (operation.kind !== 'update-container' || report.results[operation.id]?.status !== 'succeeded') continue;
      const container = observed.containers.find((candidate) => candidate.name === operation.container || candidate.id === operation.container);
      if (!container) continue;
      const updated = this.updatedInPlace.get(projectName) ?? new Set<string>();
      updated.add(container.id);
      this.updatedInPlace.set(projectName, updated);
      this.limitSuspects.get(projectName)?.add(container.id);
    }
  }

  /** Starts the engine refused because of a task left over from its restart: the next plan recreates them. */
  private recordStaleTasks(tracker: StaleTaskRecord, observed: ObservedState, thePlan: Plan, report: ExecutionReport, logger: Logger): void {
    for (const operation of thePlan.operations) {
      if (operation.kind !== 'start-container' || !isStaleTask(report.results[operation.id]?.engineError)) continue;
      const container = observed.containers.find((candidate) => candidate.owned && (candidate.name === operation.container || candidate.id === operation.container));
      if (!container) continue;
      tracker.record(container.id);
      logger.warn({ container: container.name }, `the engine refuses to start ${container.name} after its restart (task already exists): it is recreated next, its volumes kept`);
    }
  }

  /** The compose project name of a key, for metric labels (the key itself until the project loaded once). */
  projectNameOf(key: string): string {
    return this.statuses.get(key)?.projectName ?? this.lastGood.get(key)?.name ?? key;
  }

  /** The desired state in force for each project (the last good one), for drift reports. */
  desiredProjects(): Project[] {
    return [...this.lastGood.values()].sort((left, right) => left.name.localeCompare(right.name));
  }

  status(): ProjectStatus[] {
    return [...this.statuses.values()].sort((left, right) => left.key.localeCompare(right.key));
  }

  reconciledOnce(keys: readonly string[]): boolean {
    return keys.every((key) => this.statuses.get(key)?.lastReconcile !== null && this.statuses.has(key));
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileOutcome> {
    const started = this.now();
    const status = this.statuses.get(key) ?? emptyStatus(key);
    this.statuses.set(key, status);
    const logger = reconcileLogger(this.options.logger, { project: key, reconcileId: newReconcileId() });
    const desired = this.desiredState(key, status, logger);
    if (desired === 'gone') return this.projectGone(key, status, logger, signal);
    if (desired === null) {
      status.lastReconcile = { at: started, result: 'invalid_manifest', durationMs: this.now() - started, operations: 0, failed: 0 };
      return { kind: 'error', error: new Error(`invalid manifest in ${key}`), terminal: true };
    }
    const { metrics } = this.options;
    metrics.projectSeen(desired.name);
    for (const service of Object.keys(desired.services)) metrics.serviceSeen(desired.name, service);
    if (targetOf(desired, this.options.target) === 'swarm') {
      if (!this.options.swarm) return { kind: 'error', error: new Error(`${desired.name} targets Swarm and this controller has no Swarm connection`), terminal: true };
      return this.options.swarm.reconcile(desired, status, { started, logger });
    }

    // A container's limits label says what it was created with. Its live limits are inspected on this
    // controller's first look at the project, after a `docker update` event, and for good once the controller
    // updated it in place itself (its label is stale from then on).
    const suspects = this.limitSuspects.get(desired.name);
    const inspectLimitsOf = suspects === undefined ? 'all' : suspects;
    const volumeRecord = { stateDir: this.options.stateDir ?? defaultStateDir(this.options.environment), write: true };
    const [{ observed, recordedVolumes }, buildHashes] = await Promise.all([
      observeRemembering(this.options.engine, desired, { inspectLimitsOf, volumeRecord }),
      buildHashesOf(desired),
    ]);
    // streaks of services no longer desired are forgotten
    this.crashLoops.retainServices(desired.name, new Set(Object.keys(desired.services)));
    const updated = this.updatedInPlace.get(desired.name);
    // containers replaced since their update in place are forgotten
    if (updated) for (const id of updated) if (!observed.containers.some((container) => container.id === id)) updated.delete(id);
    const stillSuspect = new Set(updated ?? []);
    this.limitSuspects.set(desired.name, stillSuspect);
    const unhealthy = this.unhealthyByProject.get(desired.name) ?? new UnhealthyTracker();
    this.unhealthyByProject.set(desired.name, unhealthy);
    const underBackup = this.options.backups ? await servicesUnderBackup(desired, this.options.backups.resolveOptions) : new Set<string>();
    // An operator's suspension: re-read every time, so a suspend or resume needs no controller restart. A
    // stop under a suspension is on purpose, not a crash: the service's crash-loop streak is forgotten.
    const suspension = await suspensionInputs(volumeRecord.stateDir, desired, { now: this.now(), logger });
    for (const service of Object.keys(suspension.scope.services)) this.crashLoops.forget(serviceKey(desired.name, service));
    if (this.options.commitInForce) this.reportHeldDeploy(key, desired, observed, { status, projectSuspension: suspension.scope.project, logger });
    const staleTasks = this.staleTasksByProject.get(desired.name) ?? (await loadStaleTasks({ stateDir: volumeRecord.stateDir, projectName: desired.name, logger }));
    this.staleTasksByProject.set(desired.name, staleTasks);
    const healing = healingInputs(desired, observed, { crashLoops: this.crashLoops, unhealthy, staleTasks }, this.now(), underBackup);
    await staleTasks.save(); // containers gone since are forgotten on disk too
    const adopt = adoptionWanted(desired, { adoptAll: this.options.adopt ?? false });
    const self = this.reportSelf(desired.name, status, findSelf(observed.containers, this.options.selfContainerId ?? null), logger);
    const holdRecreates = self?.service ? { [self.service]: SELF_HOLD_REASON } : undefined;
    const adoption = this.reportAdoption(desired.name, status, adoptionStatusOf(desired, observed.containers, { adopt }), logger);
    // A spec whose rollout failed is not tried again until it changes (no loops): its service stays as it runs.
    const desiredHashes = Object.fromEntries(Object.values(desired.services).map((service) => [service.name, service.specHash]));
    let failedRollouts = failedSpecs(await readFailedRollouts(volumeRecord.stateDir, desired.name), desiredHashes);
    const rolloutHolds = Object.fromEntries(Object.entries(failedRollouts).map(([service, failure]) => [service, `its rollout failed before (${failure.reason}); change the spec to try again`]));
    const allHolds = { ...rolloutHolds, ...holdRecreates };
    const firstPlan = await planKnowingImageVolumes(this.options.engine, observed, (imageVolumes) =>
      plan(desired, observed, { prune: this.options.prune, buildHashes, healing: healing.directives, recordedVolumes, imageVolumes, adopt, suspended: suspension.scope, holdRecreates: allHolds }),
    );
    const planOptions = { prune: this.options.prune, buildHashes, healing: healing.directives, recordedVolumes, imageVolumes: firstPlan.imageVolumes, adopt, suspended: suspension.scope };
    let thePlan = this.sparingSelf(firstPlan.plan, self, status, logger);
    if (thePlan.operations.length > 0 && !(await this.mayExecute({ project: desired, observed, plan: thePlan }))) {
      logger.warn({ operations: thePlan.operations.length }, `read-only (audit log not writable): not running ${thePlan.operations.map(renderOperation).join('; ')}`);
      metrics.setDriftedServices(desired.name, new Set(thePlan.operations.map((operation) => operation.service).filter(Boolean)).size);
      status.lastPlan = summarizePlan(thePlan, null, started) ?? status.lastPlan ?? null;
      status.lastReconcile = { at: started, result: 'read_only', durationMs: this.now() - started, operations: thePlan.operations.length, failed: 0 };
      return { kind: 'done' }; // the audit gate asks for every project again once the log is writable
    }
    if (this.options.backups) {
      // Before destructive changes: back up what is about to be replaced; hold the recreate if that fails.
      const backups = await backUpBeforeReplacing(this.options.backups.engine, { project: desired, observed, plan: thePlan }, { ...this.options.backups.resolveOptions, signal });
      for (const [service, artifacts] of Object.entries(backups.backedUp)) logger.info({ service, artifacts }, `backed up ${service} before its recreate`);
      if (Object.keys(backups.holds).length > 0) {
        for (const [service, reason] of Object.entries(backups.holds)) logger.error({ service }, `not recreating ${service}: ${reason}`);
        thePlan = this.sparingSelf(plan(desired, observed, { ...planOptions, holdRecreates: { ...allHolds, ...backups.holds } }), self, status, logger);
      }
    }
    metrics.setDriftedServices(desired.name, new Set(thePlan.operations.map((operation) => operation.service).filter(Boolean)).size);
    // Not adopted is logged when it starts (reportAdoption), not at every reconcile.
    for (const problem of thePlan.problems) if (problem.message !== adoption?.message) logger.warn({ resource: problem.resourceId }, problem.message);

    let report: ExecutionReport | null = null;
    if (thePlan.operations.length > 0) {
      logger.info({ operations: thePlan.operations.length }, `converging: ${thePlan.operations.map(renderOperation).join('; ')}`);
      report = await execute(thePlan, this.options.engine, {
        observedContainers: observed.containers,
        concurrency: this.options.concurrency,
        waitTimeoutMs: this.options.waitTimeoutMs,
        signal,
        onEvent: (event) => {
          if (event.type === 'started') return;
          metrics.recordAction(event.operation.kind, event.type);
          if (event.type !== 'succeeded') logger.warn({ operation: renderOperation(event.operation) }, `${event.type}: ${event.error ?? ''}`);
        },
      });
      const remembered = await reportRollouts(desired, rolloutOutcomes(thePlan, report), {
        stateDir: volumeRecord.stateDir,
        metrics,
        logger,
        redactor: this.redactor,
        now: this.now,
        ...(this.options.notify ? { notify: this.options.notify } : {}),
      });
      if (remembered !== null) failedRollouts = failedSpecs(remembered, desiredHashes);
      await recordDeployed(desired, thePlan, report, volumeRecord.stateDir);
      this.recordRestarts(desired, observed, thePlan, report, healing.directives.restartContainers ?? {});
      this.recordInPlaceUpdates(desired.name, observed, thePlan, report);
      this.recordStaleTasks(staleTasks, observed, thePlan, report, logger);
      await staleTasks.save();
      await this.options.onExecuted?.({ project: desired, observed, plan: thePlan }, report);
    }
    this.updateServiceStatus(desired, status, suspension.scope.services, failedRollouts);
    if (Object.keys(failedRollouts).length > 0) await this.options.onFailedRollouts?.(desired.name, failedRollouts);

    const failed = report ? report.totals.failed + report.totals.skipped + report.totals.abandoned : 0;
    const notAdopted = adoption?.state === 'not-adopted' && thePlan.operations.length === 0;
    const result = notAdopted ? 'not_adopted' : failed > 0 || thePlan.problems.length > 0 ? 'error' : 'success';
    status.lastPlan = summarizePlan(thePlan, report, started) ?? status.lastPlan ?? null;
    status.lastReconcile = { at: started, result, durationMs: this.now() - started, operations: thePlan.operations.length, failed };
    // Terminal, like an invalid manifest: the queue does not retry it; the resync or an edit looks again.
    if (notAdopted) return { kind: 'error', error: new NotAdoptedError(adoption.message), terminal: true };
    if (report) logger.info({ ...report.totals, durationMs: report.durationMs }, 'reconcile finished');
    if (failed > 0) return { kind: 'error', error: new Error(`${failed} operation(s) did not succeed`) };
    if (thePlan.problems.length > 0) return { kind: 'error', error: new Error(thePlan.problems.map((problem) => problem.message).join('; ')) };
    if (report) return { kind: 'requeue-after', delayMs: 1_000 };
    // A container the engine is restarting (its restart policy) is left to the engine, but only for now: the
    // engine may give up, or the container may end exited, with no event composelet listens to. Look again soon.
    const engineRestarting = observed.containers.some((container) => container.owned && container.state === 'restarting') ? ENGINE_RESTART_RECHECK_MS : null;
    const recheckInMs = earliest(healing.recheckInMs, suspension.recheckInMs, engineRestarting);
    return recheckInMs !== null ? { kind: 'requeue-after', delayMs: recheckInMs } : { kind: 'done' };
  }

  /** The project as the manifests say now; the last good one when they are broken; 'gone' when removed. */
  private desiredState(key: string, status: ProjectStatus, logger: Logger): Project | null | 'gone' {
    const source = projectSourceOf(this.options.root, key);
    if (!source) return 'gone';
    const commit = this.options.commitInForce?.() ?? null;
    const result = loadProject(source, {
      environment: this.options.environment,
      homeDir: this.options.homeDir,
      ...(this.options.secrets ? { secrets: this.options.secrets } : {}),
      ...(this.options.target ? { target: this.options.target } : {}),
      cache: this.loadCache,
    });
    if (result.ok && result.project === this.lastGood.get(key)) {
      if (this.options.commitInForce) status.commit = commit;
      return result.project;
    }
    const findings = result.ok ? evaluatePolicy(result.project) : [];
    if (result.ok && !policyBlocks(findings)) {
      this.lastGood.set(key, result.project);
      status.projectName = result.project.name;
      status.manifest = { valid: true, issues: [] };
      if (this.options.commitInForce) status.commit = commit;
      this.options.metrics.setManifestValid(result.project.name, true);
      return result.project;
    }
    if (result.ok) status.projectName = result.project.name;
    // Policy errors block like an invalid manifest: reported, and the last good desired state stays.
    const issues = result.ok ? renderFindings(findings.filter((finding) => finding.level === 'error')) : result.issues.map(formatIssue);
    status.manifest = { valid: false, issues };
    const previous = this.lastGood.get(key);
    logger.error({ issues }, `${result.ok ? 'policy errors' : 'invalid manifest'}: ${issues.length} problem(s); ${previous ? 'keeping the last good desired state' : 'nothing to apply yet'}`);
    if (previous) this.options.metrics.setManifestValid(previous.name, false);
    return previous ?? null;
  }

  private async projectGone(key: string, status: ProjectStatus, logger: Logger, signal: AbortSignal): Promise<ReconcileOutcome> {
    const previous = this.lastGood.get(key);
    this.statuses.delete(key);
    if (!previous) return { kind: 'done' };
    // Whatever happens to its containers, the controller no longer heals them: their memory goes.
    this.crashLoops.retainServices(previous.name, new Set());
    this.updatedInPlace.delete(previous.name);
    if (targetOf(previous, this.options.target) === 'swarm') {
      if (!this.options.prune || !this.options.swarm) {
        logger.warn(`project directory ${key} is gone: its Swarm services keep running (run with --prune to remove them)`);
        return { kind: 'done' };
      }
      logger.warn(`project directory ${key} is gone: removing its Swarm services, networks, configs and secrets (--prune)`);
      const removal = emptyStatus(previous.name);
      const outcome = await this.options.swarm.removeProject(previous, removal, { started: Date.now(), logger });
      // Something left (a failed removal, or the audit log not writable): the project is kept, and the next
      // try comes with the backoff, or when the audit gate asks again.
      if (outcome.kind === 'error' || removal.lastReconcile?.result === 'read_only') return outcome;
      this.lastGood.delete(key);
      this.options.metrics.forgetProject(previous.name);
      return { kind: 'done' };
    }
    if (!this.options.prune) {
      logger.warn(`project directory ${key} is gone: its containers keep running as orphans (run with --prune to remove them)`);
      return { kind: 'done' };
    }
    const observed = await observe(this.options.engine, previous);
    const self = findSelf(observed.containers, this.options.selfContainerId ?? null);
    const removal = this.sparingSelf(planDown(null, observed, { removeVolumes: false }), self, status, logger);
    if (removal.operations.length > 0 && !(await this.mayExecute({ project: previous, observed, plan: removal }))) return { kind: 'done' };
    logger.warn({ operations: removal.operations.length }, `project directory ${key} is gone: removing its containers (--prune)`);
    const report = await execute(removal, this.options.engine, { observedContainers: observed.containers, signal });
    await this.options.onExecuted?.({ project: previous, observed, plan: removal }, report);
    this.lastGood.delete(key);
    this.unhealthyByProject.delete(previous.name);
    this.staleTasksByProject.delete(previous.name);
    this.options.metrics.forgetProject(previous.name);
    void status;
    return { kind: 'done' };
  }

  /** `run --git`: a project-level suspension holds the commit in force off the project; /status says which
   * commit the project still runs and which one is held (git/held-deploy.ts), the log says when that changes. */
  private reportHeldDeploy(key: string, desired: Project, observed: ObservedState, context: { status: ProjectStatus; projectSuspension: string | null; logger: Logger }): void {
    const { status } = context;
    const held = heldDeploy({
      commit: status.commit ?? null,
      projectSuspension: context.projectSuspension,
      desired: Object.fromEntries(Object.values(desired.services).map((service) => [service.name, service.specHash])),
      running: observed.containers.filter((container) => container.owned),
    });
    if (held !== (status.gitHeld ?? null)) {
      if (held !== null) context.logger.warn(`${desired.name}: ${held}`);
      else if (status.gitHeld) context.logger.info({ commit: status.commit }, `${desired.name}: no commit held any more`);
    }
    status.gitHeld = held;
    if (held === null) this.appliedCommits.set(key, status.commit ?? null);
    else status.commit = this.appliedCommits.get(key) ?? null;
  }

  /** Records in /status that this controller runs in one of the project's containers; logs it when it changes. */
  private reportSelf(projectName: string, status: ProjectStatus, self: SelfContainer | null, logger: Logger): SelfContainer | null {
    const before = status.selfContainer ?? null;
    if (self !== null && before?.container !== self.name) {
      logger.info({ container: self.name, service: self.service }, `this controller runs in ${self.name} of project ${projectName}: it never recreates, stops or removes it`);
    }
    status.selfContainer = self === null ? null : { container: self.name, service: self.service, skipped: [] };
    return self;
  }

  /** The plan without what would end the controller's own container, said in the log and in /status. */
  private sparingSelf(thePlan: Plan, self: SelfContainer | null, status: ProjectStatus, logger: Logger): Plan {
    if (self === null) return thePlan;
    const { plan: spared, skipped } = withoutSelf(thePlan, self);
    if (skipped.length === 0) return thePlan;
    const lines = skipped.map(renderOperation);
    logger.warn({ container: self.name, skipped: lines }, `not running ${skipped.length} operation(s) that would stop or remove this controller's own container ${self.name}: ${lines.join('; ')}`);
    status.selfContainer = { container: self.name, service: self.service, skipped: lines };
    return spared;
  }

  /** Records the project's adoption status in /status and the metric, and logs it when it changed. */
  private reportAdoption(projectName: string, status: ProjectStatus, adoption: AdoptionStatus | null, logger: Logger): AdoptionStatus | null {
    const transition = adoptionTransition(status.adoption, adoption);
    if (transition) logger[transition.level]({ adoption: adoption?.state ?? 'none' }, transition.message);
    status.adoption = adoption;
    this.options.metrics.setProjectNotAdopted(projectName, adoption?.state === 'not-adopted');
    return adoption;
  }

  private async mayExecute(planned: PlannedProject): Promise<boolean> {
    return this.options.beforeExecuting ? this.options.beforeExecuting(planned) : true;
  }

  /** Starts of containers that existed (healing, not first creation) count as restarts; crashes feed the backoff. */
  private recordRestarts(
    project: Project,
    observed: ObservedState,
    thePlan: Plan,
    report: ExecutionReport,
    restartDirectives: Record<string, string>,
  ): void {
    const now = this.now();
    const restarted = new Set<string>();
    for (const operation of thePlan.operations) {
      if (operation.kind !== 'start-container' || operation.service === null) continue;
      if (report.results[operation.id]?.status !== 'succeeded') continue;
      const before = observed.containers.find((container) => container.owned && container.name === operation.container);
      if (!before) continue;
      const crashed = before.state === 'exited' || before.state === 'dead' || operation.container in restartDirectives;
      if (!crashed || restarted.has(operation.service)) continue;
      restarted.add(operation.service);
      const service = project.services[operation.service];
      if (!service) continue;
      this.crashLoops.recordRestart(serviceKey(project.name, service.name), now, service.healing);
      this.options.metrics.recordServiceRestart(project.name, service.name);
      if (operation.container in restartDirectives) this.options.notify?.({ kind: 'unhealthy-restart', project: project.name, service: service.name, container: operation.container });
    }
  }

  private updateServiceStatus(project: Project, status: ProjectStatus, suspended: Readonly<Record<string, string>>, rolledBack: Readonly<FailedRollouts>): void {
    const now = this.now();
    status.services = {};
    for (const service of Object.values(project.services)) {
      const state = this.crashLoops.state(serviceKey(project.name, service.name));
      const crashLooping = this.crashLoops.isCrashLooping(serviceKey(project.name, service.name));
      const backoffSeconds = state ? Math.max(0, Math.ceil((state.nextAllowedAt - now) / 1000)) : 0;
      status.services[service.name] = {
        restarts: state?.restarts ?? 0,
        crashLooping,
        backoffSeconds,
        suspended: suspended[service.name] ?? null,
        rolledBack: rolledBack[service.name] ?? null,
      };
      this.options.metrics.setServiceSuspended(project.name, service.name, suspended[service.name] !== undefined);
      this.options.metrics.setServiceCrashLooping(project.name, service.name, crashLooping);
      this.options.metrics.setServiceBackoff(project.name, service.name, backoffSeconds);
    }
  }
}
