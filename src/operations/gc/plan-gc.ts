import type { Project } from '../../desired-state/model.js';
import type { ContainerSummary, ImageSummary, NetworkSummary, VolumeSummary } from '../../engine/engine-port.js';
import { formatBytes } from '../../report/render-markdown.js';
import { BUILD_HASH, COMPOSE_PROJECT, COMPOSE_SERVICE, isOwned } from '../../reconciler/labels.js';

// `composelet gc` as data (no I/O): from what the engine lists, what may go and why, and what is kept and
// why. Only composelet's own objects are ever candidates: owned containers, networks and volumes of the
// projects at PATH (labels), and images composelet built (its build-hash label) for those projects. An image is kept while any
// container on the engine uses it (a stopped or renamed one is a rollback target), while a desired service
// names it, or while the caller's records (a previous spec's image) list it.

export interface GcInputs {
  projects: readonly Project[];
  containers: readonly ContainerSummary[];
  images: readonly ImageSummary[];
  networks: readonly NetworkSummary[];
  volumes: readonly VolumeSummary[];
  /** Image references or ids a rollback needs (previous-spec records), kept whatever else says. */
  keepImages: readonly string[];
  /** Also owned volumes no container mounts and no service declares. */
  volumesToo: boolean;
  /** `x-composelet.gc.build_cache.keep`: prune the engine's build cache down to this many bytes (null: never). */
  buildCacheKeepBytes?: number | null;
  /** Suspended services, project -> service -> why: their leftovers stay (a suspended project is not given at all). */
  heldServices?: Record<string, Record<string, string>>;
}

export interface GcItem {
  kind: 'container' | 'network' | 'image' | 'volume';
  /** What the engine removes it by (id or name). */
  id: string;
  /** For people: a name or tag. */
  name: string;
  reason: string;
}

export interface GcPlan {
  remove: GcItem[];
  keep: GcItem[];
  /** Prune the engine's build cache down to this many bytes; null: leave it. */
  buildCache: { keepBytes: number } | null;
}

const TEMPORARY_NAME = /^[0-9a-f]{12}_/;
const STOPPED = new Set(['exited', 'created', 'dead']);

export function planGc(inputs: GcInputs): GcPlan {
  const remove: GcItem[] = [];
  const keep: GcItem[] = [];
  const projectNames = new Set(inputs.projects.map((project) => project.name));
  const ofProjects = (labels: Record<string, string> | null) => isOwned(labels) && projectNames.has(labels?.[COMPOSE_PROJECT] ?? '');
  const nameOf = (container: ContainerSummary) => (container.Names[0] ?? container.Id).replace(/^\//, '');

  for (const container of inputs.containers.filter((candidate) => ofProjects(candidate.Labels) && STOPPED.has(candidate.State))) {
    if (!TEMPORARY_NAME.test(nameOf(container))) continue;
    const held = inputs.heldServices?.[container.Labels?.[COMPOSE_PROJECT] ?? '']?.[container.Labels?.[COMPOSE_SERVICE] ?? ''];
    if (held !== undefined) keep.push({ kind: 'container', id: container.Id, name: nameOf(container), reason: held });
    else remove.push({ kind: 'container', id: container.Id, name: nameOf(container), reason: `${container.State}, left by a failed replacement` });
  }

  const attached = new Set(inputs.containers.flatMap((container) => Object.keys(container.NetworkSettings?.Networks ?? {})));
  const desiredNetworks = new Set(inputs.projects.flatMap((project) => Object.values(project.networks).map((network) => network.name)));
  for (const network of inputs.networks.filter((candidate) => ofProjects(candidate.Labels))) {
    if (desiredNetworks.has(network.Name)) continue;
    if (attached.has(network.Name)) keep.push({ kind: 'network', id: network.Id, name: network.Name, reason: 'no service declares it, but a container is attached' });
    else remove.push({ kind: 'network', id: network.Id, name: network.Name, reason: 'owned, no service declares it and no container is attached' });
  }

  const usedImageIds = new Set(inputs.containers.map((container) => container.ImageID));
  const desiredImages = new Set(inputs.projects.flatMap((project) => Object.values(project.services).map((service) => withTag(service.image ?? ''))));
  const keepImages = new Set(inputs.keepImages.map(withTag));
  // Only images of these projects: a repository `<project>-...` (Compose's build tag) or one a service names
  // (another tag of it: an older build). Untagged builds cannot be told apart by project: left alone.
  const repositories = new Set(inputs.projects.flatMap((project) => Object.values(project.services).map((service) => repositoryOf(withTag(service.image ?? '')))));
  const ofTheseProjects = (tag: string) => repositories.has(repositoryOf(tag)) || inputs.projects.some((project) => repositoryOf(tag).startsWith(`${project.name}-`));
  for (const image of inputs.images.filter((candidate) => candidate.Labels?.[BUILD_HASH] !== undefined)) {
    const tags = image.RepoTags?.filter((tag) => tag !== '<none>:<none>') ?? [];
    if (!tags.some(ofTheseProjects)) continue;
    const name = tags[0] ?? image.Id.slice(0, 19);
    if (usedImageIds.has(image.Id)) keep.push({ kind: 'image', id: image.Id, name, reason: 'a container uses it (running, stopped or kept for a rollback)' });
    else if (tags.some((tag) => desiredImages.has(tag))) keep.push({ kind: 'image', id: image.Id, name, reason: 'a service in the manifests names it' });
    else if (keepImages.has(image.Id) || tags.some((tag) => keepImages.has(tag))) keep.push({ kind: 'image', id: image.Id, name, reason: 'a rollback needs it (previous spec)' });
    else remove.push({ kind: 'image', id: image.Id, name, reason: 'built by composelet, used by no container and named by no service' });
  }

  if (inputs.volumesToo) {
    const mounted = new Set(inputs.containers.flatMap((container) => (container.Mounts ?? []).map((mount) => mount.Name ?? '')));
    const declared = new Set(inputs.projects.flatMap((project) => Object.values(project.volumes).map((volume) => volume.name)));
    for (const volume of inputs.volumes.filter((candidate) => ofProjects(candidate.Labels))) {
      if (mounted.has(volume.Name) || declared.has(volume.Name)) continue;
      remove.push({ kind: 'volume', id: volume.Name, name: volume.Name, reason: 'owned, mounted by no container and declared by no service' });
    }
  }
  const keepBytes = inputs.buildCacheKeepBytes ?? null;
  return { remove, keep, buildCache: keepBytes === null ? null : { keepBytes } };
}

function repositoryOf(reference: string): string {
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', lastSlash + 1);
  return colon === -1 ? reference : reference.slice(0, colon);
}

/** `busybox` -> `busybox:latest`; a digest or a tag stays. */
function withTag(reference: string): string {
  if (reference.startsWith('sha256:') || reference.includes('@')) return reference;
  const lastSlash = reference.lastIndexOf('/');
  return reference.slice(lastSlash + 1).includes(':') ? reference : `${reference}:latest`;
}

export function renderGcPlan(plan: GcPlan): string {
  const line = (verb: string) => (item: GcItem) => `${verb} ${item.kind} ${item.name}: ${item.reason}`;
  const lines = [...plan.remove.map(line('remove')), ...plan.keep.map(line('keep'))];
  if (plan.buildCache) lines.push(`prune build cache down to ${formatBytes(plan.buildCache.keepBytes)}: x-composelet.gc.build_cache.keep`);
  return lines.length === 0 ? 'nothing to clean up' : lines.join('\n');
}

