import {
  anonymousVolumeLabels,
  anonymousVolumeName,
  anonymousVolumeOwnerOf,
  isImplicitAnonymousVolumeName,
  type AnonymousVolumeOwner,
} from '../../../actuators/volume-spec.js';
import type { Project, Service } from '../../../desired-state/model.js';
import { tmpfsMap } from '../../../actuators/container-mounts.js';
import type { ObservedContainer, ObservedState } from '../../observe/observed-state.js';
import type { PlanContext, RecordedVolume } from '../plan-context.js';

// The anonymous volumes of one replica about to be created (`volumes: - /data`, the image's VOLUMEs), so
// that whatever replaces a container gets its data back:
//   1. a volume the engine made itself (64 hex) for the container being replaced (or adopted), at the same
//      target: mounted again by name;
//   2. else one remembered for the replica and target (state/volume-record.ts), still on the engine: the
//      container that held it was removed out of band;
//   3. else composelet's own volume for the replica and target (volume-spec.ts anonymousVolumeName),
//      created by the plan when it is not there yet, reused when it is.

export interface AnonymousVolumes {
  /** target -> volume name, for the create body (container-spec.ts). */
  names: Record<string, string>;
  /** The create-volume operations the create waits for. */
  operations: number[];
  /** Set when the image's VOLUMEs were not known when planning: the executor names them at create time. */
  nameImageVolumes: AnonymousVolumeOwner | null;
}

export function planAnonymousVolumes(
  context: PlanContext,
  service: Service,
  replica: { number: number; image: string; previous: ObservedContainer | null },
): AnonymousVolumes {
  const owner: AnonymousVolumeOwner = { projectName: context.project.name, service: service.name, number: replica.number };
  const imageTargets = context.options.imageVolumes?.[replica.image];
  const kept = keptVolumes(context, owner, replica.previous);
  const names: Record<string, string> = {};
  const operations: number[] = [];
  for (const target of anonymousTargets(service, imageTargets ?? [])) {
    const name = kept.get(target) ?? anonymousVolumeName(owner, target);
    names[target] = name;
    if (kept.has(target)) continue;
    const operation = ensureVolume(context, owner, target, name);
    if (operation !== null) operations.push(operation);
  }
  for (const [target, name] of kept) names[target] ??= name;
  return { names, operations, nameImageVolumes: imageTargets === undefined ? owner : null };
}

/** Declared anonymous mounts, then the image's VOLUMEs nothing else mounts, sorted. */
export function anonymousTargets(service: Service, imageTargets: readonly string[]): string[] {
  const declared = service.volumes.filter((mount) => mount.type === 'volume' && mount.source === null).map((mount) => mount.target);
  const taken = new Set([...service.volumes.map((mount) => mount.target), ...Object.keys(tmpfsMap(service.tmpfs))]);
  const fromImage = imageTargets.filter((target) => !taken.has(target));
  return [...new Set([...declared, ...fromImage])].sort();
}

/** Volumes the engine made for this replica earlier: on the container being replaced, else remembered. */
function keptVolumes(context: PlanContext, owner: AnonymousVolumeOwner, previous: ObservedContainer | null): Map<string, string> {
  const kept = new Map<string, string>();
  for (const mount of previous?.volumeMounts ?? []) {
    if (isImplicitAnonymousVolumeName(mount.name)) kept.set(mount.target, mount.name);
  }
  const present = new Set(context.observed.volumes.map((volume) => volume.name));
  for (const recorded of context.options.recordedVolumes ?? []) {
    if (recorded.service !== owner.service || recorded.number !== owner.number || !present.has(recorded.name)) continue;
    if (!kept.has(recorded.target)) kept.set(recorded.target, recorded.name);
  }
  return kept;
}

function ensureVolume(context: PlanContext, owner: AnonymousVolumeOwner, target: string, name: string): number | null {
  if (context.observed.volumes.some((volume) => volume.name === name)) return null;
  const planned = context.anonymousVolumeOperations.get(name);
  if (planned !== undefined) return planned;
  const operation = context.builder.add({
    kind: 'create-volume',
    resourceId: `volume:${name}`,
    service: owner.service,
    cause: `not found: anonymous volume at ${target}`,
    dependsOn: [],
    volume: { key: '', name, external: false, driver: null, driverOpts: {}, labels: anonymousVolumeLabels(owner, target) },
    projectName: owner.projectName,
    anonymous: { ...owner, target },
  });
  context.anonymousVolumeOperations.set(name, operation);
  return operation;
}

export interface DanglingVolume {
  name: string;
  service: string;
  number: number;
  target: string;
}

/**
 * Anonymous volumes of the project no desired replica needs any more (its service is gone or scaled
 * down) and no container mounts: composelet's own (by their labels) and remembered ones, sorted by name.
 * The planner notes them (removes them with --prune); the drift report lists them. Pure.
 */
export function danglingVolumes(project: Project, observed: ObservedState, recordedVolumes: readonly RecordedVolume[]): DanglingVolume[] {
  const mounted = new Set(observed.containers.flatMap((container) => container.volumeMounts.map((mount) => mount.name)));
  const needed = (service: string, number: number) => (project.services[service]?.replicas ?? 0) >= number;
  const dangling = new Map<string, DanglingVolume>();
  for (const volume of observed.volumes) {
    const owner = volume.owned ? anonymousVolumeOwnerOf(volume.labels) : null;
    if (owner === null || owner.projectName !== project.name) continue;
    if (!needed(owner.service, owner.number)) dangling.set(volume.name, { name: volume.name, service: owner.service, number: owner.number, target: owner.target });
  }
  const present = new Set(observed.volumes.map((volume) => volume.name));
  for (const recorded of recordedVolumes) {
    if (present.has(recorded.name) && !needed(recorded.service, recorded.number)) {
      dangling.set(recorded.name, { name: recorded.name, service: recorded.service, number: recorded.number, target: recorded.target });
    }
  }
  return [...dangling.values()].filter((volume) => !mounted.has(volume.name)).sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}

/** Dangling volumes: a note without --prune, a remove-volume with it. */
export function planDanglingVolumes(context: PlanContext): void {
  for (const volume of danglingVolumes(context.project, context.observed, context.options.recordedVolumes ?? [])) {
    const what = describeDanglingVolume(volume);
    const resourceId = `volume:${volume.name}`;
    if (!context.options.prune) {
      context.builder.note({ resourceId, message: `dangling: ${what}, no service needs it: kept; apply with --prune to remove` });
      continue;
    }
    context.builder.add({ kind: 'remove-volume', resourceId, service: null, cause: `dangling: ${what}`, dependsOn: [], volume: volume.name });
  }
}

export function describeDanglingVolume(volume: Pick<DanglingVolume, 'service' | 'number' | 'target'>): string {
  return `anonymous volume of ${volume.service} #${volume.number} at ${volume.target}`;
}

export type { RecordedVolume };
