import { renderGcPlan } from '../../operations/gc/plan-gc.js';
import { executeGc, gatherGc } from '../../operations/gc/run-gc.js';
import { formatBytes } from '../../report/render-markdown.js';
import { createAuditRecorder, reportAuditFailure } from '../audit-recorder.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { operationTarget, STATE_DIR_HELP } from '../operation-target.js';

// `composelet gc PATH`: the Friday clean-up of composelet's own leftovers (operations/gc/plan-gc.ts says
// what and why; operations/gc/run-gc.ts runs it). Shows by default; removes only with --yes; each removal is audited.

export const gcCommand: Command = {
  name: 'gc',
  summary: "show (and with --yes remove) composelet's unused images, leftover containers and networks",
  help: `Usage: composelet gc PATH [--dry-run] [--yes] [--volumes]

Lists what can go and why, and what is kept and why: images composelet built that no container uses and
no service names (an image any container uses, stopped or renamed ones included, is kept for a rollback);
stopped containers a failed replacement left behind; owned networks no service declares and no container
is attached to; with --volumes, owned volumes no container mounts and no service declares; and, when
x-composelet.gc.build_cache.keep is set, the engine's build cache down to that size. Never touches
objects composelet does not own, nor a suspended project (a suspended service's leftovers stay).
Nothing is removed without --yes. The controller runs the same on x-composelet.gc.schedule.

Options:
${MANIFEST_OPTIONS_HELP}
      --dry-run            show only (the default without --yes)
      --yes                remove what is listed as "remove"
      --volumes            also consider owned, unmounted volumes
${STATE_DIR_HELP}
  -h, --help               show this help`,
  options: { ...manifestOptions, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' }, volumes: { type: 'boolean' }, 'state-dir': { type: 'string' } },
  async run(input, io) {
    const target = operationTarget(input, io);
    const engine = await connectEngine(io);
    const gathered = await gatherGc(engine, { projects: target.state.projects, stateDir: target.stateDir, volumesToo: Boolean(input.values.volumes) });
    for (const skipped of gathered.skipped) write(io.stdout, `skip project ${skipped.project}: ${skipped.reason}`);
    const { plan } = gathered;
    const work = plan.remove.length + (plan.buildCache ? 1 : 0);
    write(io.stdout, renderGcPlan(plan));
    if (!input.values.yes || input.values['dry-run'] || work === 0) {
      if (work > 0) write(io.stdout, `(dry run: nothing removed; run with --yes to remove ${plan.remove.length} object(s)${plan.buildCache ? ' and prune the build cache' : ''})`);
      return 0;
    }
    const audit = createAuditRecorder(io, 'gc');
    try {
      await audit.ensureWritable();
      const steps = await executeGc(engine, gathered, {
        actor: 'gc',
        trigger: 'gc --yes',
        audit: (entries) => audit.append(entries),
        onStep: (step) => {
          if (step.error !== null) write(io.stderr, `could not ${step.kind === 'build-cache' ? 'prune' : 'remove'} ${step.what}: ${step.error}`);
          else if (step.kind === 'build-cache') write(io.stdout, `pruned build cache: ${formatBytes(step.reclaimedBytes ?? 0)} reclaimed`);
          else write(io.stdout, `removed ${step.what}`);
        },
      });
      return steps.some((step) => step.error !== null) ? 1 : 0;
    } catch (error) {
      return reportAuditFailure(error, io, 'gc', { ran: true });
    } finally {
      await audit.close();
    }
  },
};
