import { DEFAULT_BACKUP_DESTINATION } from '../backup/index.js';
import { backupStatuses } from '../backup/index.js';
import { evaluateLivePolicy } from '../policy/index.js';
import { containerName, imageFor } from '../actuators/container-spec.js';
import type { Project } from '../desired-state/model.js';
import { isNotFound } from '../engine/engine-errors.js';
import type { ContainerInspect, EnginePort } from '../engine/engine-port.js';
import { createRedactor, type Redactor } from '../redaction/redact.js';
import { containerFromSummary } from '../reconciler/observe/observe-parse.js';
import { observe } from '../reconciler/observe/observe.js';
import { observeRemembering } from '../reconciler/observe/anonymous-volume-inputs.js';
import type { ObservedContainer } from '../reconciler/observe/observed-state.js';
import { imageDefaultsFromInspect, NO_IMAGE_DEFAULTS, type ImageDefaults } from './normalize/comparable.js';
import { brief, foreignHashChange, missingChange, orphanChange, posingChange, stoppedChange } from './compare/container-changes.js';
import { fieldChanges } from './compare/field-changes.js';
import type { ContainerBrief, DriftChange, ProjectDrift, ServiceDrift } from './model.js';
import { pairContainers, type ServicePairing } from './compare/pair-containers.js';
import { projectChanges } from './compare/project-changes.js';
import { driftRedactionOf } from './normalize/redact-comparable.js';
import { serviceStatusOf } from './report/categories.js';
import { groupStrays } from './compare/stray-services.js';

// Drift of one project: observe (the planner's snapshot) plus one list of every container, pair desired
// with live, inspect each container that stands for a desired service and the images they run, then
// compare field by field. Unlike the no-op reconcile path this inspects every owned container: drift is
// an audit. Read-only: it never changes the engine.

export interface DriftOptions {
  /** Marks secrets; default: createRedactor() (COMPOSELET_REDACTION_KEY or the default key). */
  redactor?: Redactor;
  /** Where backups without a destination go ($COMPOSELET_BACKUP_DIR or the default). */
  backupDestination?: string;
  /** The state directory, read (never written) for the anonymous volumes remembered for containers made
   * before composelet named them; without it only composelet's own labelled volumes count as dangling. */
  stateDir?: string;
}

interface DriftContext {
  engine: EnginePort;
  project: Project;
  containerNames: Map<string, string>;
  image(reference: string): Promise<ImageDefaults | null>;
  redactor: Redactor;
  /** Every container inspected, for the live policy checks. */
  inspects: ContainerInspect[];
}

export async function computeDrift(engine: EnginePort, project: Project, options: DriftOptions = {}): Promise<ProjectDrift> {
  const [{ observed, recordedVolumes }, summaries] = await Promise.all([
    options.stateDir === undefined ? observe(engine, project).then((state) => ({ observed: state, recordedVolumes: [] })) : observeRemembering(engine, project, { volumeRecord: { stateDir: options.stateDir, write: false } }),
    engine.listContainers({}),
  ]);
  const everyContainer = summaries.map(containerFromSummary);
  const images = new Map<string, Promise<ImageDefaults | null>>();
  const context: DriftContext = {
    engine,
    project,
    containerNames: new Map(everyContainer.map((container) => [container.id, container.name])),
    image(reference) {
      let loaded = images.get(reference);
      if (loaded === undefined) {
        loaded = inspectImage(engine, reference);
        images.set(reference, loaded);
      }
      return loaded;
    },
    redactor: options.redactor ?? createRedactor(),
    inspects: [],
  };
  const pairing = pairContainers(project, observed, everyContainer);
  const services: ServiceDrift[] = await Promise.all(pairing.services.map((servicePairing) => serviceDrift(context, servicePairing)));
  services.push(...groupStrays(pairing.orphans, pairing.strays));
  const changes = projectChanges(project, observed, pairing, recordedVolumes);
  const drifted = changes.length > 0 || services.some((service) => service.status !== 'in-sync');
  const policy = evaluateLivePolicy(project, context.inspects).map((finding) => ({
    ruleId: finding.ruleId,
    level: finding.level,
    service: finding.service,
    container: finding.container,
    path: finding.path,
    message: finding.message,
    fix: finding.fix,
  }));
  const backups = (
    await backupStatuses([project], { defaultDestination: options.backupDestination ?? DEFAULT_BACKUP_DESTINATION })
  ).map((backup) => ({
    name: backup.definition,
    service: backup.service,
    lastSuccessAt: backup.lastSuccessAt,
    failuresSinceSuccess: backup.failuresSinceSuccess,
    lastError: backup.lastError,
    nextRunAt: backup.nextRunAt,
  }));
  return { name: project.name, status: drifted ? 'drifted' : 'in-sync', services, changes, policy, backups };
}

async function serviceDrift(context: DriftContext, pairing: ServicePairing): Promise<ServiceDrift> {
  const { project } = context;
  const { service } = pairing;
  const redaction = driftRedactionOf(service, context.redactor);
  const changes: DriftChange[] = [];
  const containers: ContainerBrief[] = [];
  const compare = async (container: ObservedContainer, number: number) => {
    const inspect = await inspectContainer(context.engine, container.id);
    if (inspect === null) return;
    context.inspects.push(inspect);
    // Without the service's image here, the container's own image tells what the image supplies; its id
    // then says nothing about where the tag points, so the image id is not compared.
    const desiredImage = await context.image(imageFor(project, service));
    const ownImage = desiredImage === null ? await context.image(inspect.Image) : null;
    const image = desiredImage ?? (ownImage ? { ...ownImage, id: null } : NO_IMAGE_DEFAULTS);
    const compared = fieldChanges({ project, service, number, inspect, image, containerNames: context.containerNames, redaction });
    changes.push(...compared.changes);
  };

  for (let number = 1; number <= service.replicas; number++) {
    const container = pairing.replicas.get(number);
    const name = containerName(project, service, number);
    if (container === undefined) {
      const holder = pairing.posing.find((posing) => posing.container.name === name)?.container ?? null;
      changes.push(missingChange(project, service, name, holder));
      continue;
    }
    containers.push(brief(container));
    for (const change of [stoppedChange(service, container), foreignHashChange(project, service, container)]) {
      if (change !== null) changes.push(change);
    }
    await compare(container, number);
  }
  for (const { container, cause } of pairing.surplus) {
    containers.push(brief(container));
    changes.push(orphanChange(container, cause));
  }
  for (const posing of pairing.posing) {
    containers.push(brief(posing.container));
    changes.push(posingChange(posing, service.name, { desired: true }));
    const number = posing.container.number ?? 1;
    await compare(posing.container, number >= 1 && number <= service.replicas ? number : 1);
  }
  return { name: service.name, status: serviceStatusOf(changes), replicas: service.replicas, containers, changes };
}

async function inspectContainer(engine: EnginePort, id: string): Promise<ContainerInspect | null> {
  try {
    return await engine.inspectContainer(id);
  } catch (error) {
    // Removed between the list and the inspect: nothing left to compare; the next report sees it gone.
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function inspectImage(engine: EnginePort, reference: string): Promise<ImageDefaults | null> {
  try {
    return imageDefaultsFromInspect(await engine.inspectImage(reference));
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
