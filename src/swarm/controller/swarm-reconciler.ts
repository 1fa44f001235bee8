import type { Logger } from 'pino';
import type { AuditEntry } from '../../audit/audit-entry.js';
import { manifestCommitOf } from '../../audit/manifest-commit.js';
import type { ProjectStatus } from '../../controller/project-status.js';
import type { ReconcileOutcome } from '../../controller/queue/work-queue.js';
import type { Project } from '../../desired-state/model.js';
import type { ControllerMetrics } from '../../observability/metrics.js';
import { ACTION_KINDS, type ActionResult } from '../../observability/metric-label-values.js';
import type { Redactor } from '../../redaction/redact.js';
import { readFailedRollouts, updateFailedRollouts, type FailedRollout, type FailedRollouts } from '../../state/failed-rollouts.js';
import type { SwarmPort } from '../engine/swarm-port.js';
import { executeSwarm, type SwarmOutcome } from '../execute/execute-swarm.js';
import { desiredSwarm } from '../mapping/desired-swarm.js';
import { SPEC_HASH } from '../model/swarm-labels.js';
import { readFileObjectContents } from '../model/file-contents.js';
import { planSwarm } from '../plan/plan-swarm.js';
import { renderSwarmPlan, type SwarmPlan } from '../plan/swarm-plan.js';
import { withoutHeldServices } from './held-services.js';
import { messageOf, swarmAuditEntries, swarmIntentEntry } from './swarm-audit.js';
import { serviceOutcomes, swarmProjectStatus } from './swarm-status.js';
import { summarizeSwarmPlan } from './swarm-plan-summary.js';

// `composelet run` for a project that targets Swarm: the same level-triggered reconcile as on one host,
// with the Swarm actuator. Each reconcile re-reads the cluster, plans (src/swarm/plan), writes the intent
// line (fail closed), executes, audits every mutation, records the outcome in /status and the metrics,
// and tells git delivery which specs failed. A service whose spec failed is held until the spec changes.

export interface SwarmReconcilerOptions {
  port: SwarmPort;
  metrics: ControllerMetrics;
  redactor: Redactor;
  /** How long a deploy may wait for tasks to run (or jobs to complete). */
  timeoutMs: number;
  now?: () => number;
  /** Appends audit entries; false: not written, the controller is read-only and nothing may change. */
  audit?: (entries: AuditEntry[]) => Promise<boolean>;
  /** `run --git`: the desired specs whose rollout failed (spec hashes of the model, as git delivery blames). */
  onFailedRollouts?: (projectName: string, failed: Readonly<FailedRollouts>) => Promise<void>;
  /** Where held specs are kept (state/failed-rollouts.ts, the file `apply` reads too), so a restarted
   * controller does not push a spec Swarm rolled back again; absent: held in memory only. */
  stateDir?: string;
  /** `run --prune`: remove the services, networks, configs and secrets the project owns and no longer
   * declares. Without it they are kept and noted (deleting is opt-in). */
  prune?: boolean;
}

export class SwarmReconciler {
  /** project -> service -> the Swarm spec hash whose rollout failed. */
  private readonly held = new Map<string, Record<string, string>>();
  private readonly now: () => number;

  constructor(private readonly options: SwarmReconcilerOptions) {
    this.now = options.now ?? Date.now;
  }

  async reconcile(project: Project, status: ProjectStatus, context: { started: number; logger: Logger }): Promise<ReconcileOutcome> {
    return this.converge(project, status, context, this.options.prune ?? false);
  }

  /** `run --prune` and the project's directory is gone: every service, network, config and secret the
   * project owns on the cluster is removed, audited like any change (the intent line first, fail closed).
   * Swarm volumes belong to the nodes and stay. An error outcome means something is left: the caller
   * keeps the project and tries again. */
  async removeProject(project: Project, status: ProjectStatus, context: { started: number; logger: Logger }): Promise<ReconcileOutcome> {
    const nothing: Project = { ...project, services: {}, networks: {}, configs: {}, secrets: {} };
    return this.converge(nothing, status, context, true);
  }

  private async converge(project: Project, status: ProjectStatus, context: { started: number; logger: Logger }, prune: boolean): Promise<ReconcileOutcome> {
    const { logger } = context;
    const { port, metrics } = this.options;
    const desired = desiredSwarm(project, readFileObjectContents(project));
    const observed = await port.observe(project.name);
    const held = await this.heldOf(project.name);
    // A held spec that is no longer the desired one is forgotten: the next change is tried.
    for (const [service, hash] of Object.entries(held)) if (desired.services[service]?.Labels[SPEC_HASH] !== hash) delete held[service];
    const { plan, heldServices } = withoutHeldServices(planSwarm(desired, observed, { prune }), held);
    for (const service of heldServices) logger.warn({ service }, `${project.name}/${service}: its rollout failed before; not tried again until its spec changes`);
    for (const problem of plan.problems) logger.warn({ resource: problem.resourceId }, problem.message);
    const changedServices = new Set(plan.operations.flatMap((operation) => (operation.kind === 'create-service' || operation.kind === 'update-service' ? [operation.service] : [])));
    metrics.setDriftedServices(project.name, changedServices.size);
    const finish = (result: NonNullable<ProjectStatus['lastReconcile']>['result'], operations: number, failed: number, outcomes: ReturnType<typeof serviceOutcomes> = {}, seen = observed) => {
      status.swarm = swarmProjectStatus(desired, seen, status.swarm ?? null, outcomes);
      status.services = Object.fromEntries(Object.keys(project.services).map((service) => [service, { restarts: 0, crashLooping: false, backoffSeconds: 0, suspended: null, rolledBack: null }]));
      status.lastReconcile = { at: context.started, result, durationMs: this.now() - context.started, operations, failed };
    };
    const mutating = plan.operations.filter((operation) => operation.kind !== 'wait-service');
    if (mutating.length === 0) {
      finish(plan.problems.length > 0 ? 'error' : 'success', 0, 0);
      if (plan.problems.length > 0) return { kind: 'error', error: new Error(plan.problems.map((problem) => `${problem.resourceId}: ${problem.message}`).join('; ')) };
      return { kind: 'done' };
    }
    const manifestCommit = await manifestCommitOf(project.workingDir);
    const auditContext = { actor: 'controller', manifestCommit, redactor: this.options.redactor };
    if (this.options.audit && !(await this.options.audit([swarmIntentEntry(plan, auditContext)]))) {
      logger.warn({ operations: mutating.length }, `read-only (audit log not writable): not running ${renderSwarmPlan(plan).split('\n').join('; ')}`);
      status.lastPlan = summarizeSwarmPlan(plan, null, context.started);
      finish('read_only', plan.operations.length, 0);
      return { kind: 'done' }; // the audit gate asks for every project again once the log is writable
    }
    logger.info({ operations: plan.operations.length }, `converging on Swarm: ${renderSwarmPlan(plan).split('\n').join('; ')}`);
    const executionStarted = this.now();
    const durations = new Map<string, number>();
    const outcomes = await executeSwarm(plan, port, {
      timeoutMs: this.options.timeoutMs,
      onOutcome: (outcome) => {
        durations.set(outcome.resourceId, this.now() - executionStarted);
        const operation = plan.operations.find((candidate) => candidate.resourceId === outcome.resourceId);
        if (operation && (ACTION_KINDS as readonly string[]).includes(operation.kind)) metrics.recordAction(operation.kind as (typeof ACTION_KINDS)[number], actionResult(outcome));
        if (outcome.result !== 'succeeded') logger.warn({ operation: outcome.resourceId }, `${outcome.result}: ${messageOf(outcome) ?? ''}`);
      },
    });
    await this.options.audit?.(swarmAuditEntries(plan, outcomes, { ...auditContext, observed, durations }));
    const byService = serviceOutcomes(plan, outcomes, this.now());
    await this.recordFailures(project, plan, byService);
    const failed = outcomes.filter((outcome) => outcome.result !== 'succeeded').length;
    status.lastPlan = summarizeSwarmPlan(plan, outcomes, context.started);
    // /status shows the cluster as the run left it.
    const after = await port.observe(project.name).catch(() => observed);
    finish(failed > 0 || plan.problems.length > 0 ? 'error' : 'success', plan.operations.length, failed, byService, after);
    logger.info({ operations: plan.operations.length, failed }, 'reconcile finished');
    if (failed > 0) return { kind: 'error', error: new Error(`${failed} Swarm operation(s) did not succeed`) };
    if (plan.problems.length > 0) return { kind: 'error', error: new Error(plan.problems.map((problem) => `${problem.resourceId}: ${problem.message}`).join('; ')) };
    return { kind: 'requeue-after', delayMs: 1_000 };
  }

  /** The held specs of a project: from the state directory the first time (a restart remembers), then in memory. */
  private async heldOf(projectName: string): Promise<Record<string, string>> {
    let held = this.held.get(projectName);
    if (held === undefined) {
      const remembered = this.options.stateDir === undefined ? {} : await readFailedRollouts(this.options.stateDir, projectName);
      held = Object.fromEntries(Object.entries(remembered).map(([service, failure]) => [service, failure.specHash]));
      this.held.set(projectName, held);
    }
    return held;
  }

  /** Services whose create, update or wait failed (not skipped): held (in memory and in the state directory,
   * by Swarm spec hash), and reported to git delivery (by the model's spec hash, as it blames). */
  private async recordFailures(project: Project, plan: SwarmPlan, byService: ReturnType<typeof serviceOutcomes>): Promise<void> {
    const failed: FailedRollouts = {};
    const remembered: Record<string, FailedRollout> = {};
    const succeeded: string[] = [];
    const held = await this.heldOf(project.name);
    for (const [service, outcome] of Object.entries(byService)) {
      if (outcome.result === 'succeeded' || outcome.result === 'skipped') {
        if (outcome.result === 'succeeded') {
          delete held[service];
          succeeded.push(service);
        }
        continue;
      }
      const change = plan.operations.find((operation) => (operation.kind === 'create-service' || operation.kind === 'update-service') && operation.service === service);
      const hash = change && 'spec' in change ? change.spec.Labels[SPEC_HASH] : undefined;
      const reason = outcome.message ?? `${service}: ${outcome.result}`;
      const at = new Date(outcome.at).toISOString();
      if (hash !== undefined) {
        held[service] = hash;
        remembered[service] = { specHash: hash, previousSpecHash: null, reason, at };
      }
      const modelHash = project.services[service]?.specHash;
      if (modelHash !== undefined) failed[service] = { specHash: modelHash, previousSpecHash: null, reason, at };
    }
    if (this.options.stateDir !== undefined && (Object.keys(remembered).length > 0 || succeeded.length > 0)) {
      await updateFailedRollouts(this.options.stateDir, project.name, { failed: remembered, succeeded });
    }
    if (Object.keys(failed).length > 0) await this.options.onFailedRollouts?.(project.name, failed);
  }
}

function actionResult(outcome: SwarmOutcome): ActionResult {
  return outcome.result === 'succeeded' || outcome.result === 'skipped' ? outcome.result : 'failed';
}
