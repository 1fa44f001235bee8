import type { Project, Service } from '../../desired-state/model.js';
import type { ContainerInspect } from '../../engine/engine-port.js';
import { categoryOfPath } from '../report/categories.js';
import type { ImageDefaults } from '../normalize/comparable.js';
import { diffContainers } from './compare.js';
import type { DriftChange } from '../model.js';
import { normalizeDesired } from '../normalize/normalize-desired.js';
import { alignToDesired, normalizeLive } from '../normalize/normalize-live.js';
import { describeDifference } from '../report/reasons.js';
import { redactComparable, type DriftRedaction } from '../normalize/redact-comparable.js';

// One container, field by field: normalize both sides, redact both, diff, and say why. Pure: the caller
// inspects the container and the image.

export interface FieldComparison {
  project: Project;
  service: Service;
  number: number;
  inspect: ContainerInspect;
  /** What the service's image supplies; `id` is the image its tag names now (null: not here). */
  image: ImageDefaults;
  containerNames: ReadonlyMap<string, string>;
  redaction: DriftRedaction;
}

export interface FieldChanges {
  changes: DriftChange[];
}

export function fieldChanges(comparison: FieldComparison): FieldChanges {
  const { redaction } = comparison;
  const desired = normalizeDesired({
    project: comparison.project,
    service: comparison.service,
    number: comparison.number,
    image: comparison.image,
  });
  if (comparison.image.id !== null) desired.imageId = comparison.image.id;
  const live = alignToDesired(desired, normalizeLive({ inspect: comparison.inspect, image: comparison.image, containerNames: comparison.containerNames }));
  const container = comparison.inspect.Name.replace(/^\//, '');
  const changes = diffContainers(redactComparable(desired, redaction), redactComparable(live, redaction)).map(
    (difference): DriftChange => ({
      category: categoryOfPath(difference.path),
      container,
      path: difference.path,
      op: difference.op,
      desired: difference.desired,
      live: difference.live,
      reason: describeDifference(difference),
    }),
  );
  return { changes };
}
