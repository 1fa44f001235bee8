import { planProjectDown, runPlan } from '../../reconciler/converge.js';
import { createProgressReporter } from '../../reconciler/execute/progress.js';
import { renderPlan } from '../../reconciler/plan/render-plan.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { createAuditRecorder, reportAuditFailure } from '../audit-recorder.js';
import { manifestCommitOf } from '../../audit/manifest-commit.js';
import { indent } from './plan.js';
import { defaultStateDir } from '../../state/state-dir.js';

// `composelet down PATH`: stop and remove what composelet created for the projects, nothing else.

export const downCommand: Command = {
  name: 'down',
  summary: 'stop and remove the containers and networks composelet created (volumes with --volumes)',
  help: `Usage: composelet down PATH [options]

Stops the project's containers in reverse dependency order and removes them and the project's networks.
Only objects carrying composelet's ownership label are touched: a container someone started by hand
with the project's compose labels is left alone. Named volumes are kept unless --volumes is given.

Options:
${MANIFEST_OPTIONS_HELP}
      --volumes            also remove the project's named volumes (not external ones) and anonymous volumes
  -h, --help               show this help`,
  options: { ...manifestOptions, volumes: { type: 'boolean' } },
  async run(input, io) {
    const state = loadOrThrow(input, io);
    const engine = await connectEngine(io);
    const audit = createAuditRecorder(io, 'down');
    let failed = false;
    /** A plan ran and its outcome is not recorded yet. */
    let unrecorded = false;
    try {
      for (const project of state.projects) {
        const planned = await planProjectDown(engine, project, {
          removeVolumes: Boolean(input.values.volumes),
          volumeRecord: { stateDir: defaultStateDir(io.env), write: true },
        });
        write(io.stdout, `project ${project.name}:\n${indent(renderPlan(planned.plan))}`);
        if (planned.plan.operations.length === 0) continue;
        const reporter = createProgressReporter({ stream: io.stdout, interactive: Boolean(io.stdout.isTTY) });
        const manifestCommit = await manifestCommitOf(project.workingDir);
        await audit.intend(planned, manifestCommit); // fail closed: nothing runs that cannot be audited
        unrecorded = true;
        const report = await runPlan(engine, planned, { onEvent: reporter.onEvent });
        reporter.finish(report);
        await audit.record(planned, report, manifestCommit);
        unrecorded = false;
        if (report.totals.failed > 0) failed = true;
      }
    } catch (error) {
      return reportAuditFailure(error, io, 'down', { ran: unrecorded });
    } finally {
      await audit.close();
    }
    return failed ? 1 : 0;
  },
};
