import { buildAuditEntry, type AuditActor, type AuditEntry } from '../../audit/audit-entry.js';
import type { Project } from '../../desired-state/model.js';
import type { EnginePort } from '../../engine/engine-port.js';
import type { Redactor } from '../../redaction/redact.js';
import { imagesOfSpecs, readDeployedSpecs } from '../../state/previous-specs.js';
import { suspendedScope } from '../suspend/suspension.js';
import { readSuspensions } from '../suspend/suspension-store.js';
import { buildCacheKeepOf, gcSettings } from './gc-settings.js';
import { planGc, type GcItem, type GcPlan } from './plan-gc.js';

// One gc run, as `composelet gc --yes` and the controller's schedule (x-composelet.gc.schedule) both make
// it: gather what the engine lists, the rollback targets' images and the suspensions, plan (plan-gc.ts),
// then remove what the plan says, each removal audited. A project under a project-wide suspension is not
// touched at all; a suspended service's leftovers stay.

export interface GatheredGc {
  plan: GcPlan;
  /** Projects left alone, with why ("suspended by X until T: reason"). */
  skipped: Array<{ project: string; reason: string }>;
  /** The projects planned for (the others minus the skipped). */
  projects: Project[];
}

export async function gatherGc(engine: EnginePort, options: { projects: readonly Project[]; stateDir: string; volumesToo: boolean; now?: number }): Promise<GatheredGc> {
  const now = options.now ?? Date.now();
  const skipped: GatheredGc['skipped'] = [];
  const projects: Project[] = [];
  const heldServices: Record<string, Record<string, string>> = {};
  const keepImages: string[] = [];
  for (const project of options.projects) {
    const scope = suspendedScope(Object.keys(project.services), await readSuspensions(options.stateDir, project.name), now);
    if (scope.project !== null) {
      skipped.push({ project: project.name, reason: scope.project });
      continue;
    }
    projects.push(project);
    heldServices[project.name] = scope.services;
    // The images of the specs a rollback may go back to (state/previous-specs.ts) stay.
    keepImages.push(...imagesOfSpecs(await readDeployedSpecs(options.stateDir, project.name).catch(() => ({}))));
  }
  if (projects.length === 0) return { plan: { remove: [], keep: [], buildCache: null }, skipped, projects };
  const [containers, images, networks, volumes] = await Promise.all([engine.listContainers({}), engine.listImages({}), engine.listNetworks({}), engine.listVolumes({})]);
  const plan = planGc({
    projects,
    containers,
    images,
    networks,
    volumes,
    keepImages,
    volumesToo: options.volumesToo,
    heldServices,
    buildCacheKeepBytes: buildCacheKeepOf(projects.map((project) => gcSettings(project).buildCacheKeepBytes)),
  });
  return { plan, skipped, projects };
}

export interface GcStep {
  /** `remove image shop-api:1`, `prune build cache` */
  what: string;
  kind: GcItem['kind'] | 'build-cache';
  /** null: done. */
  error: string | null;
  /** For the build cache: bytes reclaimed. */
  reclaimedBytes?: number;
}

export interface GcRunOptions {
  actor: AuditActor;
  /** Prefix of each entry's cause, e.g. "scheduled gc (0 3 * * 5)". */
  trigger: string;
  /** Audit lines go here, one per step, before the next step; a failure to write stops the run (fail closed). */
  audit: (entries: AuditEntry[]) => Promise<void>;
  redactor?: Redactor;
  /** Each step as it ends (the CLI prints it). */
  onStep?: (step: GcStep) => void;
}

/** Removes what the plan says, containers before the networks and images they hold; then prunes the build cache. */
export async function executeGc(engine: EnginePort, gathered: GatheredGc, options: GcRunOptions): Promise<GcStep[]> {
  const steps: GcStep[] = [];
  const projectLabel = gathered.projects.map((project) => project.name).join(',');
  const record = async (step: GcStep, fields: { resource: string; cause: string; action: string; durationMs: number }) => {
    steps.push(step);
    options.onStep?.(step);
    const entry = buildAuditEntry(
      {
        actor: options.actor,
        project: projectLabel,
        service: null,
        action: fields.action,
        resource: fields.resource,
        cause: `${options.trigger}: ${fields.cause}`,
        specHashBefore: null,
        specHashAfter: null,
        result: step.error === null ? 'succeeded' : 'failed',
        error: step.error,
        manifestCommit: null,
        durationMs: fields.durationMs,
      },
      options.redactor ? { redactor: options.redactor } : {},
    );
    await options.audit([entry]);
  };
  for (const kind of ['container', 'network', 'image', 'volume'] as const) {
    for (const item of gathered.plan.remove.filter((candidate) => candidate.kind === kind)) {
      const started = Date.now();
      const error = await removeItem(engine, item).then(() => null, messageOf);
      await record({ what: `${item.kind} ${item.name}`, kind, error }, { action: `remove-${item.kind}`, resource: `${item.kind}:${item.name}`, cause: item.reason, durationMs: Date.now() - started });
    }
  }
  if (gathered.plan.buildCache) {
    const started = Date.now();
    const keepStorageBytes = gathered.plan.buildCache.keepBytes;
    const pruned = await engine.pruneBuildCache({ keepStorageBytes }).then((result) => ({ result, error: null }), (error: unknown) => ({ result: null, error: messageOf(error) }));
    await record(
      { what: 'build cache', kind: 'build-cache', error: pruned.error, reclaimedBytes: pruned.result?.spaceReclaimedBytes ?? 0 },
      {
        action: 'prune-build-cache',
        resource: 'build-cache',
        cause: `down to ${keepStorageBytes} bytes (x-composelet.gc.build_cache.keep)${pruned.result ? `: ${pruned.result.cachesDeleted} entries, ${pruned.result.spaceReclaimedBytes} bytes reclaimed` : ''}`,
        durationMs: Date.now() - started,
      },
    );
  }
  return steps;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

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
