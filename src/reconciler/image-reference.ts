import type { ObservedImage, ObservedState } from './observe/observed-state.js';

// Image references compared the way the engine means them: `redis` is `redis:latest`, and Docker Hub's
// `docker.io/library/redis:7` is `redis:7`. Local images are found by tag; a digest reference has no tag
// to find, so it counts as present when a container was created from it and its image is still here.

const HUB_PREFIXES = ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/'];

export function normalizeImageReference(reference: string): string {
  let normalized = reference;
  for (const prefix of HUB_PREFIXES) {
    if (normalized.startsWith(prefix)) {
      normalized = normalized.slice(prefix.length);
      break;
    }
  }
  if (normalized.includes('@')) return normalized;
  const lastSlash = normalized.lastIndexOf('/');
  const hasTag = normalized.lastIndexOf(':') > lastSlash;
  return hasTag ? normalized : `${normalized}:latest`;
}

export function sameImageReference(left: string, right: string): boolean {
  return normalizeImageReference(left) === normalizeImageReference(right);
}

/** The local image a reference names now, or null. */
export function findImage(observed: ObservedState, reference: string): ObservedImage | null {
  const byTag = observed.images.find((image) => image.tags.some((tag) => sameImageReference(tag, reference)));
  if (byTag) return byTag;
  if (!reference.includes('@')) return null;
  const usedBy = observed.containers.find((container) => container.image === reference);
  return observed.images.find((image) => image.id === usedBy?.imageId) ?? null;
}
