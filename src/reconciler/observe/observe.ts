import type { Project } from '../../desired-state/model.js';
import { isNotFound } from '../../engine/engine-errors.js';
import type { EnginePort } from '../../engine/engine-port.js';
import { COMPOSE_PROJECT, LIMITS_HASH, projectFilter } from '../labels.js';
import { limitsHash } from '../limits.js';
import {
  compareText,
  containerFromSummary,
  imageFromSummary,
  limitsFromInspect,
  networkFromSummary,
  volumeFromSummary,
} from './observe-parse.js';
import type { ObservedContainer, ObservedState } from './observed-state.js';

// Observe: what the engine holds for one project, in one list call per kind (containers by the project
// label; networks, volumes and images unfiltered, since external networks and volumes the project names
// carry no project label and the engine cannot OR a label filter with a name filter). The only other
// calls are inspects of owned containers whose limits label differs from the desired limits hash: the
// planner needs their live limits to tell a change already applied in place from one still to apply.
// I/O only: no decisions beyond which answers belong to the project.

export interface ObserveOptions {
  /** Also inspect the limits of these owned containers (ids), or of all of them: for those the label may
   * not tell the truth (updated in place since creation, or changed by `docker update`). */
  inspectLimitsOf?: ReadonlySet<string> | 'all';
  /** Also keep these volumes (by name) in the observed state: the remembered anonymous volumes, which carry
   * no project label (the engine made them). */
  volumeNames?: ReadonlySet<string>;
}

export async function observe(engine: EnginePort, project: Project, options: ObserveOptions = {}): Promise<ObservedState> {
  const [containerSummaries, networkSummaries, volumeSummaries, imageSummaries] = await Promise.all([
    engine.listContainers({ label: [projectFilter(project.name)] }),
    engine.listNetworks({}),
    engine.listVolumes({}),
    engine.listImages({}),
  ]);

  const belongs = (labels: Record<string, string>, name: string, desiredNames: ReadonlySet<string>) =>
    labels[COMPOSE_PROJECT] === project.name || desiredNames.has(name);
  const networkNames = new Set(Object.values(project.networks).map((network) => network.name));
  const volumeNames = new Set([...Object.values(project.volumes).map((volume) => volume.name), ...(options.volumeNames ?? [])]);

  const containers = containerSummaries
    .map(containerFromSummary)
    // The engine filtered by label already; this keeps a fake or a careless adapter honest.
    .filter((container) => container.project === project.name)
    .sort((left, right) => compareText(left.name, right.name) || compareText(left.id, right.id));
  const suspect = (container: ObservedContainer) =>
    options.inspectLimitsOf === 'all' || (options.inspectLimitsOf?.has(container.id) ?? false);
  await Promise.all(
    containers
      .filter((container) => needsLimits(project, container) || (isDesiredOwned(project, container) && suspect(container)))
      .map((container) => fillLimits(engine, container)),
  );

  return {
    projectName: project.name,
    containers,
    networks: networkSummaries
      .map(networkFromSummary)
      .filter((network) => belongs(network.labels, network.name, networkNames))
      .sort((left, right) => compareText(left.name, right.name) || compareText(left.id, right.id)),
    volumes: volumeSummaries
      .map(volumeFromSummary)
      .filter((volume) => belongs(volume.labels, volume.name, volumeNames))
      .sort((left, right) => compareText(left.name, right.name)),
    images: imageSummaries
      .map(imageFromSummary)
      .sort((left, right) => compareText(left.tags[0] ?? '\uffff', right.tags[0] ?? '\uffff') || compareText(left.id, right.id)),
  };
}

/** Owned, of a desired service, and stamped with other limits than the service wants now. */
export function needsLimits(project: Project, container: ObservedContainer): boolean {
  if (!isDesiredOwned(project, container)) return false;
  return container.labels[LIMITS_HASH] !== limitsHash(project.services[container.service!]!);
}

function isDesiredOwned(project: Project, container: ObservedContainer): boolean {
  return container.owned && container.service !== null && project.services[container.service] !== undefined;
}

async function fillLimits(engine: EnginePort, container: ObservedContainer): Promise<void> {
  try {
    container.limits = limitsFromInspect(await engine.inspectContainer(container.id));
  } catch (error) {
    // Removed between the list and the inspect: leave limits unknown; the next reconcile sees it gone.
    if (isNotFound(error)) return;
    throw error;
  }
}
