import { parseDuration } from '../../desired-state/syntax/duration.js';
import { UsageError } from '../../errors/kinds.js';
import { createBackupEngine, DEFAULT_BACKUP_DESTINATION } from '../../backup/index.js';
import { planProject, runPlan } from '../../reconciler/converge.js';
import { planWithPreRecreateBackups } from '../../reconciler/execute/pre-recreate-backups.js';
import { createProgressReporter } from '../../reconciler/execute/progress.js';
import { renderPlan } from '../../reconciler/plan/render-plan.js';
import { settle } from '../../reconciler/execute/wait/settle.js';
import { write, type CliIo, type Command, type CommandInput } from '../command.js';
import { adoptsItself } from '../../desired-state/normalize/adoption-setting.js';
import { connectEngine, dockerHostOf } from '../engine-connection.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { createAuditRecorder, reportAuditFailure } from '../audit-recorder.js';
import { manifestCommitOf } from '../../audit/manifest-commit.js';
import { policyFindings, printPolicy } from '../policy-report.js';
import { indent } from './plan.js';
import { defaultStateDir } from '../../state/state-dir.js';
import { suspensionInputs } from '../../operations/suspend/suspension-inputs.js';
import { describeOutcome, failureChanges, rolloutOutcomes } from '../../reconciler/execute/rollout-outcomes.js';
import { redactEvidence } from '../../redaction/redact-evidence.js';
import { createRedactor } from '../../redaction/redact.js';
import { failedSpecs, readFailedRollouts, updateFailedRollouts } from '../../state/failed-rollouts.js';
import { recordDeployed } from '../../reconciler/execute/record-deployed.js';
import { parseTarget, targetOf } from '../../swarm/target.js';
import { applySwarmProjects } from '../../swarm/cli/apply-swarm.js';
import { printSwarmFindings, swarmFindingsOf } from '../../swarm/validate/swarm-report.js';

// `composelet apply PATH`: make the engine match the manifests, in dependency order.

export const applyCommand: Command = {
  name: 'apply',
  summary: 'make the engine match the manifests (create, recreate, update in place, start)',
  help: `Usage: composelet apply PATH [options]

Observes the engine, plans and executes: networks and volumes first, then services in dependency order
(service_healthy waits for healthy, service_completed_successfully for exit 0), independent services in
parallel. A changed spec recreates only that service (named and anonymous volumes are kept); a changed
limit (memory, cpus, pids, restart policy) is updated in place without a restart; a completed one-shot is
not run again. Only objects composelet created are ever touched. Running it twice changes nothing.
Policy errors (rules raised to error in x-composelet.policy) refuse the whole apply before anything runs.
A service with a backup definition (x-composelet.backup, before_recreate: true by default) is backed up
before it is recreated; if that backup fails, it is not recreated and apply exits 1 saying why.

Options:
${MANIFEST_OPTIONS_HELP}
      --prune              also remove orphans (containers of services no longer in the manifests)
      --dry-run            print the plan and stop (same as 'composelet plan')
      --no-wait            do not wait at the end for every service to be running and healthy
      --timeout DURATION   how long waits may take, e.g. 2m (default 120s)
      --force              also change what is suspended ('composelet suspend'); without it, suspended
                           services are skipped and named
      --retry-failed       roll out again a spec whose rollout failed before (else apply refuses it, exit 1)
      --target swarm|engine  where the projects run: as Swarm services on the cluster the engine manages
                           (x-composelet.target sets it per project; see the README, Growing beyond one host)
      --adopt              take over the containers docker compose made for these services (see 'composelet
                           adopt --help'); without it, a project docker compose runs is left untouched
  -h, --help               show this help

Exit codes: 0 converged, 1 error (invalid manifest, unreachable engine, a failed operation or a service
that did not become healthy in time).`,
  options: {
    ...manifestOptions,
    prune: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
    timeout: { type: 'string' },
    adopt: { type: 'boolean' },
    force: { type: 'boolean' },
    'retry-failed': { type: 'boolean' },
    target: { type: 'string' },
  },
  run: (input, io) => runApply(input, io, { adopt: Boolean(input.values.adopt), command: 'apply' }),
};

/** apply and adopt: plan (adopting when asked), back up what is replaced, execute, wait until converged. */
export async function runApply(input: CommandInput, io: CliIo, options: { adopt: boolean; command: 'apply' | 'adopt' }): Promise<number> {
  const timeoutMs = parseTimeout(input.values.timeout as string | undefined);
  const dryRun = Boolean(input.values['dry-run']);
  const loaded = loadOrThrow(input, io);
  if (printPolicy(policyFindings(loaded), io)) {
    write(io.stderr, `composelet ${options.command}: policy errors (above) block ${options.command}; nothing was changed`);
    return 1;
  }
  // Projects that target Swarm go to the Swarm actuator (src/swarm); the rest run on this engine.
  const target = parseTarget(input.values.target as string | undefined);
  if (target instanceof Error) throw new UsageError(target.message);
  const swarmProjects = loaded.projects.filter((project) => targetOf(project, target) === 'swarm');
  // What Swarm cannot do (src/swarm/validate): an error refuses the whole apply before anything runs.
  if (printSwarmFindings(swarmFindingsOf(swarmProjects), io)) {
    write(io.stderr, `composelet ${options.command}: Swarm errors (above) block ${options.command}; nothing was changed`);
    return 1;
  }
  const swarmOk = swarmProjects.length === 0 || (await applySwarmProjects(swarmProjects, io, {
    timeoutMs,
    dryRun,
    prune: Boolean(input.values.prune),
    retryFailed: Boolean(input.values['retry-failed']),
    stateDir: defaultStateDir(io.env),
  }));
  const state = { ...loaded, projects: loaded.projects.filter((project) => !swarmProjects.includes(project)) };
  if (state.projects.length === 0) return swarmOk ? 0 : 1;
  const engine = await connectEngine(io);
  const audit = createAuditRecorder(io, 'apply');
  let failed = false;
  /** A plan ran and its outcome is not recorded yet. */
  let unrecorded = false;
  /** project -> its suspended services: skipped, and not waited for either. */
  const skipped = new Map<string, string[]>();
  try {
    // Fail closed: nothing (not even a pre-recreate backup) happens unless the audit log can be written.
    if (!dryRun) await audit.ensureWritable();
    const stateDir = defaultStateDir(io.env);
    const redactor = createRedactor();
    if (!dryRun && !input.values['retry-failed']) {
      // A spec whose rollout failed is not tried again in a loop: refuse before anything is touched.
      const refused: string[] = [];
      for (const project of state.projects) {
        const hashes = Object.fromEntries(Object.values(project.services).map((service) => [service.name, service.specHash]));
        for (const [service, failure] of Object.entries(failedSpecs(await readFailedRollouts(stateDir, project.name), hashes))) {
          refused.push(`project ${project.name}: ${service}: this spec failed before (${failure.at}): ${failure.reason}`);
        }
      }
      if (refused.length > 0) {
        for (const line of refused) write(io.stderr, `composelet ${options.command}: ${line}`);
        write(io.stderr, `composelet ${options.command}: nothing was changed; change the spec, or retry it with --retry-failed`);
        return 1;
      }
    }
    for (const project of state.projects) {
      // Suspended services are skipped (said on stderr) unless --force.
      const suspended = input.values.force ? null : (await suspensionInputs(defaultStateDir(io.env), project, { now: Date.now() })).scope;
      for (const [service, why] of Object.entries(suspended?.services ?? {})) write(io.stderr, `skipping ${project.name}/${service}: ${why} (--force changes it anyway)`);
      skipped.set(project.name, Object.keys(suspended?.services ?? {}));
      const planningOptions = {
        ...(suspended ? { suspended } : {}),
        prune: Boolean(input.values.prune),
        waitTimeoutSeconds: timeoutMs / 1000,
        adopt: options.adopt || adoptsItself(project),
        volumeRecord: { stateDir: defaultStateDir(io.env), write: !dryRun },
      };
      const { planned, backups } = dryRun
        ? { planned: await planProject(engine, project, planningOptions), backups: { holds: {}, backedUp: {} } }
        : await planWithPreRecreateBackups(engine, createBackupEngine({ ...dockerHostOf(io), port: engine }), project, {
            ...planningOptions,
            defaultDestination: io.env.COMPOSELET_BACKUP_DIR || DEFAULT_BACKUP_DESTINATION,
          });
      for (const [service, artifacts] of Object.entries(backups.backedUp)) write(io.stdout, `backed up ${service} before its recreate: ${artifacts}`);
      for (const [service, reason] of Object.entries(backups.holds)) {
        write(io.stderr, `not recreating ${service}: ${reason}`);
        failed = true;
      }
      // Only adopt prints differences: drift (and what it loads) stays out of apply's start-up.
      if (options.command === 'adopt') await (await import('../adoption-report.js')).printAdoptionDifferences(engine, planned, io);
      write(io.stdout, `project ${project.name}:\n${indent(renderPlan(planned.plan))}`);
      if (planned.plan.problems.length > 0) {
        failed = true;
        for (const problem of planned.plan.problems.filter((candidate) => candidate.resourceId.startsWith('project:'))) {
          write(io.stderr, `composelet ${options.command}: project ${project.name}: ${problem.message}`);
        }
      }
      if (dryRun || planned.plan.operations.length === 0) continue;
      const reporter = createProgressReporter({ stream: io.stdout, interactive: Boolean(io.stdout.isTTY) });
      const manifestCommit = await manifestCommitOf(project.workingDir);
      await audit.intend(planned, manifestCommit);
      unrecorded = true;
      const report = await runPlan(engine, planned, { waitTimeoutMs: timeoutMs, onEvent: reporter.onEvent });
      reporter.finish(report);
      await audit.record(planned, report, manifestCommit);
      unrecorded = false;
      const outcomes = rolloutOutcomes(planned.plan, report);
      for (const outcome of outcomes.filter((candidate) => candidate.result !== 'succeeded')) {
        const service = project.services[outcome.rollout.service];
        const message = describeOutcome(outcome);
        write(io.stderr, `composelet ${options.command}: ${service ? redactEvidence(message, service, redactor) : redactor.text(message)}`);
        failed = true;
      }
      if (outcomes.length > 0) {
        // The memory holds the evidence too: redacted like the output.
        const changes = failureChanges(outcomes, new Date());
        for (const [service, failure] of Object.entries(changes.failed)) {
          const model = project.services[service];
          failure.reason = model ? redactEvidence(failure.reason, model, redactor) : redactor.text(failure.reason);
        }
        await updateFailedRollouts(stateDir, project.name, changes);
      }
      await recordDeployed(project, planned.plan, report, stateDir);
      if (report.totals.failed > 0 || report.totals.skipped > 0) failed = true;
    }
  } catch (error) {
    return reportAuditFailure(error, io, options.command, { ran: unrecorded });
  } finally {
    await audit.close();
  }
  if (!dryRun && !input.values['no-wait'] && !failed) {
    for (const project of state.projects) {
      const held = skipped.get(project.name) ?? [];
      const waitedFor = { ...project, services: Object.fromEntries(Object.entries(project.services).filter(([name]) => !held.includes(name))) };
      const result = await settle(engine, waitedFor, { timeoutMs });
      if (!result.settled) {
        failed = true;
        const pending = Object.entries(result.pending).map(([service, what]) => `${service} (${what})`);
        write(io.stderr, `project ${project.name}: not converged after ${timeoutMs / 1000}s: ${pending.join(', ')}`);
      }
    }
  }
  return failed || !swarmOk ? 1 : 0;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 120_000;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`--timeout: ${parsed.error}`);
  return Math.max(1, Math.round(parsed.value / 1_000_000));
}
