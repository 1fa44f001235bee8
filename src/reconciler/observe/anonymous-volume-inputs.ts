import type { Project } from '../../desired-state/model.js';
import type { EnginePort } from '../../engine/engine-port.js';
import { readVolumeRecord, sameRecord, updateVolumeRecord, writeVolumeRecord } from '../../state/volume-record.js';
import { imageVolumesOf } from '../execute/execute.js';
import { findImage } from '../image-reference.js';
import { observe, type ObserveOptions } from './observe.js';
import type { ObservedState } from './observed-state.js';
import type { Plan } from '../plan/plan.js';
import type { RecordedVolume } from '../plan/plan-context.js';

// What the planner needs to know about anonymous volumes, gathered around observe (I/O here, none in the
// planner): the volumes remembered for containers made before composelet named them (state/volume-record.ts),
// and the VOLUMEs of the images containers are about to be created from. A no-op reconcile reads one file
// and inspects nothing: images are inspected only when the plan creates a container.

export interface VolumeRecordOptions {
  /** The state directory (`--state-dir`, default `defaultStateDir(env)`). */
  stateDir: string;
  /** Write what was observed back (apply, down, the controller); false: only read it (plan). */
  write: boolean;
}

export interface RememberedObservation {
  observed: ObservedState;
  /** The record after this observation: plan input (`recordedVolumes`). */
  recordedVolumes: RecordedVolume[];
}

/** Observe the project (the remembered volumes included), then bring the record up to date. */
export async function observeRemembering(
  engine: EnginePort,
  project: Project,
  options: ObserveOptions & { volumeRecord?: VolumeRecordOptions } = {},
): Promise<RememberedObservation> {
  const { volumeRecord, ...observeOptions } = options;
  if (volumeRecord === undefined) return { observed: await observe(engine, project, observeOptions), recordedVolumes: [] };
  const previous = await readVolumeRecord(volumeRecord.stateDir, project.name);
  const observed = await observe(engine, project, { ...observeOptions, volumeNames: new Set(previous.map((entry) => entry.name)) });
  const recordedVolumes = updateVolumeRecord(previous, observed);
  if (volumeRecord.write && !sameRecord(previous, recordedVolumes)) await writeVolumeRecord(volumeRecord.stateDir, project.name, recordedVolumes);
  return { observed, recordedVolumes };
}

/**
 * Plans; when the plan creates containers from local images whose VOLUMEs it was not told, inspects those
 * images (once each) and plans again knowing them. Images the plan builds or pulls are not here yet: their
 * volumes are named by the executor at create time.
 */
export async function planKnowingImageVolumes(
  engine: EnginePort,
  observed: ObservedState,
  makePlan: (imageVolumes: Record<string, string[]>) => Plan,
): Promise<{ plan: Plan; imageVolumes: Record<string, string[]> }> {
  const first = makePlan({});
  const images = new Set<string>();
  for (const operation of first.operations) {
    if (operation.kind !== 'create-container' || operation.nameImageVolumes === null) continue;
    if (findImage(observed, operation.spec.Image) !== null) images.add(operation.spec.Image);
  }
  if (images.size === 0) return { plan: first, imageVolumes: {} };
  const imageVolumes: Record<string, string[]> = {};
  for (const image of [...images].sort()) imageVolumes[image] = imageVolumesOf(await engine.inspectImage(image));
  return { plan: makePlan(imageVolumes), imageVolumes };
}
