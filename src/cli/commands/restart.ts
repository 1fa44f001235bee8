import { manifestCommitOf } from '../../audit/manifest-commit.js';
import { parseDuration } from '../../desired-state/syntax/duration.js';
import { UsageError } from '../../errors/kinds.js';
import { planRestart, restartLevels } from '../../operations/restart/plan-restart.js';
import { holdServices } from '../../operations/suspend/hold.js';
import { runPlan } from '../../reconciler/converge.js';
import type { ExecutionReport } from '../../reconciler/execute/execute.js';
import { observe } from '../../reconciler/observe/observe.js';
import type { Plan } from '../../reconciler/plan/plan.js';
import { createProgressReporter } from '../../reconciler/execute/progress.js';
import { renderPlan } from '../../reconciler/plan/render-plan.js';
import { createAuditRecorder, reportAuditFailure } from '../audit-recorder.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { operationTarget, STATE_DIR_HELP } from '../operation-target.js';
import { indent } from './plan.js';

// `composelet restart PATH [SERVICE…] [--with-dependents]`: the incident playbook's ordered restart and the
// complete-system recovery, as a plan (operations/restart/plan-restart.ts) run by the executor.

export const restartCommand: Command = {
  name: 'restart',
  summary: 'restart services in dependency order, health-gated (no service: the whole project, level by level)',
  help: `Usage: composelet restart PATH [SERVICE...] [options]

Stops the services named in reverse dependency order (with --with-dependents, everything that depends on
them first), then starts them in dependency order, each level waiting until the one below is healthy
(running, without a healthcheck). A start or a wait that fails stops the sequence there: what comes after
is not started, and the command says where it stopped. With no service named, the whole project is
restarted level by level (complete-system recovery). A one-shot that completed is not run again. Nothing
is created: a service without a container must be applied first. Every stop and start is audited.

While it runs, the services are suspended for the controller (reason "composelet restart", for at most
the restart's time budget), so a running 'composelet run' does not start them out of order; the hold is
lifted at the end (an operator's own suspension stays).

Options:
${MANIFEST_OPTIONS_HELP}
      --with-dependents    also restart every service that depends on the ones named
      --timeout DURATION   how long each health wait may take (default 120s)
${STATE_DIR_HELP}
  -h, --help               show this help

Exit codes: 0 restarted, 1 a step failed (or invalid manifests, unreachable engine).`,
  options: { ...manifestOptions, 'with-dependents': { type: 'boolean' }, timeout: { type: 'string' }, 'state-dir': { type: 'string' } },
  async run(input, io) {
    const timeoutMs = parseTimeout(input.values.timeout as string | undefined);
    const target = operationTarget(input, io);
    const withDependents = Boolean(input.values['with-dependents']);
    const engine = await connectEngine(io);
    const audit = createAuditRecorder(io, 'restart');
    let failed = false;
    let unrecorded = false;
    try {
      await audit.ensureWritable();
      for (const { project, services } of target.projects) {
        const levels = restartLevels(project, { services, withDependents });
        const planned = { project, observed: await observe(engine, project), plan: null as unknown as Plan };
        planned.plan = planRestart(project, planned.observed, { services, withDependents, waitTimeoutSeconds: timeoutMs / 1000 });
        write(io.stdout, `project ${project.name}: restart by levels ${levels.map((level) => level.join(', ')).join(' -> ')}\n${indent(renderPlan(planned.plan))}`);
        if (planned.plan.problems.length > 0) {
          write(io.stderr, `composelet restart: project ${project.name}: nothing restarted (${planned.plan.problems.map((problem) => problem.message).join('; ')})`);
          failed = true;
          continue;
        }
        if (planned.plan.operations.length === 0) continue;
        // Stop-timeouts plus a health wait per level, and a minute to spare: the hold ends by itself after it.
        const budgetMs = 60_000 + levels.length * timeoutMs + planned.plan.operations.length * 15_000;
        const hold = await holdServices(target.stateDir, project.name, levels.flat(), { reason: 'composelet restart in progress', forMs: budgetMs });
        try {
          const manifestCommit = await manifestCommitOf(project.workingDir);
          await audit.intend(planned, manifestCommit);
          unrecorded = true;
          const reporter = createProgressReporter({ stream: io.stdout, interactive: Boolean(io.stdout.isTTY) });
          const report = await runPlan(engine, planned, { waitTimeoutMs: timeoutMs, concurrency: 4, onEvent: reporter.onEvent });
          reporter.finish(report);
          await audit.record(planned, report, manifestCommit);
          unrecorded = false;
          const stoppedAt = whereItStopped(planned.plan, report);
          if (stoppedAt !== null) {
            failed = true;
            write(io.stderr, `composelet restart: project ${project.name}: stopped at ${stoppedAt}`);
          } else {
            write(io.stdout, `project ${project.name}: restarted ${levels.flat().join(', ')}`);
          }
        } finally {
          await hold.release();
        }
      }
    } catch (error) {
      return reportAuditFailure(error, io, 'restart', { ran: unrecorded });
    } finally {
      await audit.close();
    }
    return failed ? 1 : 0;
  },
};

/** "db (wait container:demo-db-1, op [4]): timed out ...; not started: api, ui", or null when all succeeded. */
export function whereItStopped(plan: Plan, report: ExecutionReport): string | null {
  const failure = report.results.find((result) => result.status === 'failed');
  if (!failure) return null;
  const operation = plan.operations[failure.id]!;
  const notStarted = [
    ...new Set(
      plan.operations
        .filter((candidate) => candidate.kind === 'start-container' && report.results[candidate.id]?.status !== 'succeeded' && candidate.id !== failure.id)
        .map((candidate) => candidate.service ?? candidate.resourceId),
    ),
  ];
  const where = `${operation.service ?? operation.resourceId} (${operation.kind} ${operation.resourceId}, op [${operation.id}])`;
  return `${where}: ${failure.error ?? 'failed'}${notStarted.length > 0 ? `; not started: ${notStarted.join(', ')}` : ''}`;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 120_000;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`--timeout: ${parsed.error}`);
  return Math.max(1, Math.round(parsed.value / 1_000_000));
}
