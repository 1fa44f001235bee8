import type { Service } from '../../desired-state/model.js';
import { sameImageReference } from '../image-reference.js';
import type { ObservedContainer } from '../observe/observed-state.js';
import type { ImagePlan } from './services/plan-images.js';

// Why a container must be replaced, or null when it can stay. The spec hash decides; the cause says as
// much as the labels and the list call tell cheaply (the image reference), without inspecting.

export function recreateCause(service: Service, container: ObservedContainer, image: ImagePlan): string | null {
  if (container.specHash === null) return 'spec changed: no spec hash label';
  if (container.specHash !== service.specHash) {
    const imageMoved = !container.image.startsWith('sha256:') && !sameImageReference(container.image, image.image);
    return imageMoved ? `spec changed: image ${container.image} -> ${image.image}` : 'spec changed';
  }
  if (image.rebuilt) return 'image rebuilt';
  if (image.currentImageId !== null && container.imageId !== image.currentImageId) return 'image changed';
  return null;
}
