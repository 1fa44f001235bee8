import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDesiredState } from '../../desired-state/load.js';
import type { Project, Service } from '../../desired-state/model.js';
import { normalizeImageReference } from '../image-reference.js';
import { BUILD_HASH, COMPOSE_CONTAINER_NUMBER, COMPOSE_PROJECT, COMPOSE_SERVICE, LIMITS_HASH, OWNED_BY_COMPOSELET, SPEC_HASH } from '../labels.js';
import { limitsHash } from '../limits.js';
import { imageFor, networkAttachments } from '../naming.js';
import type { ObservedContainer, ObservedImage, ObservedNetwork, ObservedState, ObservedVolume } from './observed-state.js';
import { plan, type PlanOptions } from '../plan/planner.js';
import { renderPlan } from '../plan/render-plan.js';

// Builders for the planner's tests: a desired project from inline compose YAML, and observed objects that
// match it (the converged engine), to be changed one field at a time. Not a test file itself.

export function projectFromYaml(yaml: string, options: { profiles?: string[]; environment?: Record<string, string> } = {}): Project {
  const directory = mkdtempSync(join(tmpdir(), 'composelet-plan-'));
  const file = join(directory, 'compose.yaml');
  writeFileSync(file, yaml);
  const result = loadDesiredState(file, { environment: options.environment ?? {}, homeDir: directory, ...(options.profiles ? { profiles: options.profiles } : {}) });
  rmSync(directory, { recursive: true, force: true });
  if (!result.ok) throw new Error(`test manifest is invalid: ${result.issues.map((issue) => issue.message).join('; ')}`);
  const project = result.state.projects[0];
  if (!project) throw new Error('test manifest holds no project');
  return project;
}

export function fakeId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** An id whose first 12 characters are readable in expected plans: `aaaaaaaaaaaa...`. */
export function repeatedId(character: string): string {
  return character.repeat(64);
}

export function service(project: Project, name: string): Service {
  const found = project.services[name];
  if (!found) throw new Error(`no service "${name}" in the test project`);
  return found;
}

export function imageIdFor(reference: string): string {
  return `sha256:${fakeId(normalizeImageReference(reference))}`;
}

/** The container composelet would have created for replica `number`, running. */
export function convergedContainer(project: Project, serviceName: string, number = 1, overrides: Partial<ObservedContainer> = {}): ObservedContainer {
  const desired = service(project, serviceName);
  const name = desired.containerName ?? `${project.name}-${serviceName}-${number}`;
  const image = imageFor(project, desired);
  return {
    id: fakeId(name),
    name,
    project: project.name,
    service: serviceName,
    number,
    owned: true,
    specHash: desired.specHash,
    limitsHash: limitsHash(desired),
    state: 'running',
    health: null,
    exitCode: null,
    image,
    imageId: imageIdFor(image),
    labels: {
      [COMPOSE_PROJECT]: project.name,
      [COMPOSE_SERVICE]: serviceName,
      [COMPOSE_CONTAINER_NUMBER]: String(number),
      [OWNED_BY_COMPOSELET]: 'true',
      [SPEC_HASH]: desired.specHash,
      [LIMITS_HASH]: limitsHash(desired),
    },
    networks: networkAttachments(project, desired).map((attachment) => attachment.name).sort(),
    created: 1_700_000_000 + number,
    volumeMounts: [],
    limits: null,
    ...overrides,
  };
}

/** A container carrying the project's compose labels but not composelet's ownership label. */
export function unownedContainer(project: Project, serviceName: string, number = 1, overrides: Partial<ObservedContainer> = {}): ObservedContainer {
  const base = convergedContainer(project, serviceName, number);
  const labels = { ...base.labels };
  delete labels[OWNED_BY_COMPOSELET];
  delete labels[SPEC_HASH];
  delete labels[LIMITS_HASH];
  return { ...base, owned: false, specHash: null, limitsHash: null, labels, ...overrides };
}

export function observedNetwork(projectName: string, name: string, options: { owned?: boolean; project?: string | null } = {}): ObservedNetwork {
  return { id: fakeId(`network:${name}`), name, owned: options.owned ?? true, labels: resourceLabels(options.project === undefined ? projectName : options.project, options.owned ?? true) };
}

export function observedVolume(projectName: string, name: string, options: { owned?: boolean; project?: string | null } = {}): ObservedVolume {
  return { name, owned: options.owned ?? true, labels: resourceLabels(options.project === undefined ? projectName : options.project, options.owned ?? true) };
}

function resourceLabels(projectName: string | null, owned: boolean): Record<string, string> {
  return {
    ...(projectName === null ? {} : { [COMPOSE_PROJECT]: projectName }),
    ...(owned ? { [OWNED_BY_COMPOSELET]: 'true' } : {}),
  };
}

export function observedImage(reference: string, labels: Record<string, string> = {}): ObservedImage {
  return { id: imageIdFor(reference), tags: [normalizeImageReference(reference)], labels };
}

/** What the engine holds once composelet converged the project: every object, matching, running. */
export function convergedState(project: Project, options: { buildHashes?: Record<string, string> } = {}): ObservedState {
  const services = Object.values(project.services);
  const images = new Map<string, ObservedImage>();
  for (const desired of services) {
    const reference = imageFor(project, desired);
    const hash = options.buildHashes?.[desired.name];
    images.set(normalizeImageReference(reference), observedImage(reference, desired.build && hash !== undefined ? { [BUILD_HASH]: hash } : {}));
  }
  const containers = services.flatMap((desired) =>
    Array.from({ length: desired.replicas }, (_, index) => convergedContainer(project, desired.name, index + 1)),
  );
  return {
    projectName: project.name,
    containers: containers.sort((left, right) => (left.name < right.name ? -1 : 1)),
    networks: Object.values(project.networks).map((network) => observedNetwork(project.name, network.name, network.external ? { owned: false, project: null } : {})),
    volumes: Object.values(project.volumes).map((volume) => observedVolume(project.name, volume.name, volume.external ? { owned: false, project: null } : {})),
    images: [...images.values()],
  };
}

export function emptyState(projectName: string): ObservedState {
  return { projectName, containers: [], networks: [], volumes: [], images: [] };
}

/** Replaces the containers of `name` in a state. */
export function withContainer(state: ObservedState, container: ObservedContainer): ObservedState {
  const containers = state.containers.filter((existing) => existing.name !== container.name);
  return { ...state, containers: [...containers, container].sort((left, right) => (left.name < right.name ? -1 : 1)) };
}

/** The rendered plan for a desired project and an observed state (the planner tests' one assertion). */
export function planText(project: Project, observed: ObservedState, options: Partial<PlanOptions> = {}): string {
  return renderPlan(plan(project, observed, { prune: false, buildHashes: {}, ...options }));
}

/** Lines of an expected plan written as an indented template literal. */
export function lines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/** Rows for `it.each(...)('%s', ...)`: the scenario's name first, printed whole (`$name` is cut at 40 characters). */
export function named<Scenario extends { name: string }>(scenarios: Scenario[]): Array<[string, Scenario]> {
  return scenarios.map((scenario) => [scenario.name, scenario]);
}

/** An owned container of a service the desired project does not have (an orphan), running. */
export function orphanContainer(projectName: string, serviceName: string, number = 1, overrides: Partial<ObservedContainer> = {}): ObservedContainer {
  const name = `${projectName}-${serviceName}-${number}`;
  return {
    id: fakeId(name),
    name,
    project: projectName,
    service: serviceName,
    number,
    owned: true,
    specHash: 'spec-of-a-removed-service',
    limitsHash: 'limits-of-a-removed-service',
    state: 'running',
    health: null,
    exitCode: null,
    image: 'busybox:1',
    imageId: imageIdFor('busybox:1'),
    labels: {
      [COMPOSE_PROJECT]: projectName,
      [COMPOSE_SERVICE]: serviceName,
      [COMPOSE_CONTAINER_NUMBER]: String(number),
      [OWNED_BY_COMPOSELET]: 'true',
    },
    networks: [`${projectName}_default`],
    created: 1_600_000_000,
    volumeMounts: [],
    limits: null,
    ...overrides,
  };
}
