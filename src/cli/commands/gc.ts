import { buildAuditEntry } from '../../audit/audit-entry.js';
import { planGc, renderGcPlan, type GcItem } from '../../operations/gc/plan-gc.js';
import type { EnginePort } from '../../engine/engine-port.js';
import { createAuditRecorder, reportAuditFailure } from '../audit-recorder.js';
import { imagesOfSpecs, readDeployedSpecs } from '../../state/previous-specs.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { operationTarget, STATE_DIR_HELP } from '../operation-target.js';

// `composelet gc PATH`: the Friday clean-up of composelet's own leftovers (operations/gc/plan-gc.ts says
// what and why). Shows by default; removes only with --yes; each removal is audited.

export const gcCommand: Command = {
  name: 'gc',
  summary: "show (and with --yes remove) composelet's unused images, leftover containers and networks",
  help: `Usage: composelet gc PATH [--dry-run] [--yes] [--volumes]

Lists what can go and why, and what is kept and why: images composelet built that no container uses and
no service names (an image any container uses, stopped or renamed ones included, is kept for a rollback);
stopped containers a failed replacement left behind; owned networks no service declares and no container
is attached to; with --volumes, owned volumes no container mounts and no service declares. Never touches
objects composelet does not own. Nothing is removed without --yes.

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
    const [containers, images, networks, volumes] = await Promise.all([engine.listContainers({}), engine.listImages({}), engine.listNetworks({}), engine.listVolumes({})]);
    // The images of the specs a rollback may go back to (state/previous-specs.ts) stay.
    const keepImages: string[] = [];
    for (const project of target.state.projects) keepImages.push(...imagesOfSpecs(await readDeployedSpecs(target.stateDir, project.name).catch(() => ({}))));
    const plan = planGc({ projects: target.state.projects, containers, images, networks, volumes, keepImages, volumesToo: Boolean(input.values.volumes) });
    write(io.stdout, renderGcPlan(plan));
    if (!input.values.yes || input.values['dry-run'] || plan.remove.length === 0) {
      if (plan.remove.length > 0) write(io.stdout, `(dry run: nothing removed; run with --yes to remove ${plan.remove.length} object(s))`);
      return 0;
    }
    const audit = createAuditRecorder(io, 'gc');
    let failed = 0;
    try {
      await audit.ensureWritable();
      // Containers before the networks and images they hold.
      for (const kind of ['container', 'network', 'image', 'volume'] as const) {
        for (const item of plan.remove.filter((candidate) => candidate.kind === kind)) {
          const started = Date.now();
          const error = await removeItem(engine, item).then(() => null, (cause: unknown) => (cause instanceof Error ? cause.message : String(cause)));
          if (error !== null) failed += 1;
          write(error === null ? io.stdout : io.stderr, error === null ? `removed ${item.kind} ${item.name}` : `could not remove ${item.kind} ${item.name}: ${error}`);
          await audit.append([
            buildAuditEntry({
              actor: 'gc',
              project: target.state.projects.map((project) => project.name).join(','),
              service: null,
              action: `remove-${item.kind}`,
              resource: `${item.kind}:${item.name}`,
              cause: item.reason,
              specHashBefore: null,
              specHashAfter: null,
              result: error === null ? 'succeeded' : 'failed',
              error,
              manifestCommit: null,
              durationMs: Date.now() - started,
            }),
          ]);
        }
      }
    } catch (error) {
      return reportAuditFailure(error, io, 'gc', { ran: true });
    } finally {
      await audit.close();
    }
    return failed > 0 ? 1 : 0;
  },
};

function removeItem(engine: EnginePort, item: GcItem): Promise<void> {
  switch (item.kind) {
    case 'container':
      return engine.removeContainer(item.id, { force: false, removeVolumes: false });
    case 'network':
      return engine.removeNetwork(item.id);
    case 'image':
      return engine.removeImage(item.id);
    case 'volume':
      return engine.removeVolume(item.id);
  }
}
