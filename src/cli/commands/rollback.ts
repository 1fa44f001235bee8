import { manifestCommitOf } from '../../audit/manifest-commit.js';
import { currentUser } from '../../audit/audit-entry.js';
import { parseDuration } from '../../desired-state/syntax/duration.js';
import { UsageError } from '../../errors/kinds.js';
import { holdServices } from '../../operations/suspend/hold.js';
import { planProject, runPlan } from '../../reconciler/converge.js';
import { describeOutcome, rolloutOutcomes } from '../../reconciler/execute/rollout-outcomes.js';
import { createProgressReporter } from '../../reconciler/execute/progress.js';
import { renderPlan } from '../../reconciler/plan/render-plan.js';
import { redactEvidence } from '../../redaction/redact-evidence.js';
import { createRedactor } from '../../redaction/redact.js';
import { updateFailedRollouts } from '../../state/failed-rollouts.js';
import { readDeployedSpecs, recordDeployedSpecs } from '../../state/previous-specs.js';
import { restoreSecrets } from '../../state/withheld-secrets.js';
import { createAuditRecorder, reportAuditFailure } from '../audit-recorder.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { operationTarget, STATE_DIR_HELP } from '../operation-target.js';
import { indent } from './plan.js';

// `composelet rollback PATH SERVICE`: back to the spec the service ran before its last rollout (kept as data
// in the state directory, state/previous-specs.ts), as a rollout with the same safety (the current container
// stays aside until the previous spec proved itself). The desired spec is then remembered as failed, so
// neither the controller nor apply rolls it forward again until the manifest changes.

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'go back to the previous spec of a service (healthy but wrong), as a rollout; the desired spec is held',
  help: `Usage: composelet rollback PATH SERVICE [options]

Rolls SERVICE back to the spec it ran before its last successful rollout (its image, command, environment,
everything), kept in the state directory at each rollout; the old container does not need to exist. The
rollback is itself a rollout: the running container is kept aside until the previous spec proved itself,
and comes back if it does not. Afterwards the desired spec counts as failed ("rolled back by hand"): the
controller leaves the service as it runs and apply refuses it until the manifest changes (or
'apply --retry-failed'). Only SERVICE is touched.

Options:
${MANIFEST_OPTIONS_HELP}
      --timeout DURATION   how long the rollout's waits may take (default 120s)
${STATE_DIR_HELP}
  -h, --help               show this help

Exit codes: 0 rolled back, 1 no previous spec kept, or the rollback's own rollout failed (the current
container serves again).`,
  options: { ...manifestOptions, timeout: { type: 'string' }, 'state-dir': { type: 'string' } },
  async run(input, io) {
    const timeoutMs = parseTimeout(input.values.timeout as string | undefined);
    const target = operationTarget(input, io);
    const named = target.projects.flatMap(({ project, services }) => services.map((service) => ({ project, service })));
    if (named.length !== 1) throw new UsageError('rollback takes one SERVICE: composelet rollback PATH SERVICE');
    const { project, service: serviceName } = named[0]!;
    const desired = project.services[serviceName]!;
    const stored = (await readDeployedSpecs(target.stateDir, project.name))[serviceName]?.previous ?? null;
    if (stored === null) {
      write(io.stderr, `composelet rollback: ${project.name}/${serviceName}: no previous spec is kept (one is kept at each successful rollout); nothing was changed`);
      return 1;
    }
    // The kept spec holds no secret value: they come from the manifests in force, by the same field.
    const restored = restoreSecrets(stored, desired);
    if (!restored.ok) {
      write(io.stderr, `composelet rollback: ${project.name}/${serviceName}: the previous spec needs secret values the manifests no longer provide (${restored.missing.join(', ')}); nothing was changed`);
      return 1;
    }
    // The way back follows the manifests' deploy.rollback_config in force (the kept spec's is older).
    const previous = { ...restored.service, rollbackConfig: desired.rollbackConfig };
    if (previous.specHash === desired.specHash) {
      write(io.stderr, `composelet rollback: ${project.name}/${serviceName}: the previous spec is the desired one; nothing to roll back to`);
      return 1;
    }
    // Only the service goes back: every other service is left as it is (held like a suspension).
    const others = Object.fromEntries(Object.keys(project.services).filter((name) => name !== serviceName).map((name) => [name, 'not part of the rollback']));
    const rolledBack = { ...project, services: { ...project.services, [serviceName]: previous } };
    const engine = await connectEngine(io);
    const audit = createAuditRecorder(io, 'rollback');
    const redactor = createRedactor();
    let unrecorded = false;
    try {
      await audit.ensureWritable();
      const planned = await planProject(engine, rolledBack, {
        prune: false,
        waitTimeoutSeconds: timeoutMs / 1000,
        rollback: true,
        suspended: { project: null, services: others },
        volumeRecord: { stateDir: target.stateDir, write: true },
      });
      write(io.stdout, `project ${project.name}: ${serviceName} back to its previous spec\n${indent(renderPlan(planned.plan))}`);
      if (planned.plan.problems.length > 0) {
        write(io.stderr, `composelet rollback: ${planned.plan.problems.map((problem) => problem.message).join('; ')}; nothing was changed`);
        return 1;
      }
      // The controller must not roll the desired spec forward while this runs.
      const hold = await holdServices(target.stateDir, project.name, [serviceName], { reason: 'composelet rollback in progress', forMs: 60_000 + 2 * timeoutMs });
      try {
        const manifestCommit = await manifestCommitOf(project.workingDir);
        await audit.intend(planned, manifestCommit);
        unrecorded = true;
        const reporter = createProgressReporter({ stream: io.stdout, interactive: Boolean(io.stdout.isTTY) });
        const report = await runPlan(engine, planned, { waitTimeoutMs: timeoutMs, onEvent: reporter.onEvent });
        reporter.finish(report);
        await audit.record(planned, report, manifestCommit);
        unrecorded = false;
        const failures = rolloutOutcomes(planned.plan, report).filter((outcome) => outcome.result !== 'succeeded');
        if (failures.length > 0 || report.totals.failed > 0 || report.totals.skipped > 0) {
          for (const outcome of failures) write(io.stderr, `composelet rollback: ${redactEvidence(describeOutcome(outcome), previous, redactor)}`);
          write(io.stderr, `composelet rollback: ${project.name}/${serviceName} was not rolled back`);
          return 1;
        }
        await recordDeployedSpecs(target.stateDir, project.name, [previous]);
        await updateFailedRollouts(target.stateDir, project.name, {
          failed: {
            [serviceName]: { specHash: desired.specHash, previousSpecHash: previous.specHash, reason: `rolled back by hand (composelet rollback) by ${currentUser()}`, at: new Date().toISOString() },
          },
          succeeded: [],
        });
        write(io.stdout, `project ${project.name}: ${serviceName} runs its previous spec; the desired one is held until the manifest changes (or apply --retry-failed)`);
        return 0;
      } finally {
        await hold.release();
      }
    } catch (error) {
      return reportAuditFailure(error, io, 'rollback', { ran: unrecorded });
    } finally {
      await audit.close();
    }
  },
};

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 120_000;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`--timeout: ${parsed.error}`);
  return Math.max(1, Math.round(parsed.value / 1_000_000));
}
