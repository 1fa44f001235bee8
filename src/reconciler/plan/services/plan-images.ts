import type { Service } from '../../../desired-state/model.js';
import { findImage, normalizeImageReference } from '../../image-reference.js';
import { BUILD_HASH } from '../../labels.js';
import { imageFor } from '../../naming.js';
import type { PlanContext } from '../plan-context.js';

// The image each service runs. A service with `build:` is built when its tag is missing or was built from
// other inputs (the io.composelet.build-hash label); a service with only `image:` is pulled when its tag is
// missing (or always, with `pull_policy: always`, or once it is older than a daily/weekly/every_<d> period),
// and reported when `pull_policy: never` forbids that.

export interface ImagePlan {
  /** The reference containers are created from. */
  image: string;
  /** The build or pull planned for it. */
  operation: number | null;
  /** A build is planned: containers made from the old image must be recreated. */
  rebuilt: boolean;
  /** Id of the image the tag names now, when it is here; a container on another id runs a stale image. */
  currentImageId: string | null;
  /** Reported as a problem: no container can be created from it. */
  unavailable: boolean;
}

export function planImages(context: PlanContext, services: readonly Service[]): Map<string, ImagePlan> {
  const byService = new Map<string, ImagePlan>();
  const byReference = new Map<string, ImagePlan>();
  for (const service of services) {
    const image = imageFor(context.project, service);
    const reference = normalizeImageReference(image);
    let imagePlan = byReference.get(reference);
    if (!imagePlan) {
      imagePlan = service.build ? planBuild(context, service, image) : planPull(context, service, image);
      byReference.set(reference, imagePlan);
    }
    byService.set(service.name, imagePlan);
  }
  return byService;
}

function planBuild(context: PlanContext, service: Service, image: string): ImagePlan {
  const found = findImage(context.observed, image);
  const wanted = context.options.buildHashes[service.name];
  const cause = !found
    ? 'not built'
    : wanted !== undefined && found.labels[BUILD_HASH] !== wanted
      ? 'build inputs changed'
      : null;
  if (cause === null || service.build === null) {
    return { image, operation: null, rebuilt: false, currentImageId: found?.id ?? null, unavailable: false };
  }
  const operation = context.builder.add({
    kind: 'build-image',
    resourceId: `image:${image}`,
    service: service.name,
    cause,
    dependsOn: [],
    image,
    build: service.build,
    buildHash: wanted ?? '',
  });
  return { image, operation, rebuilt: true, currentImageId: null, unavailable: false };
}

/**
 * pull_policy daily, weekly, every_<duration>: pull when the local image is older than the period (v2
 * compares the image's last tag time; composelet reads the image's creation time, from the list call).
 */
function refreshDue(context: PlanContext, service: Service, createdAtSeconds: number | undefined): string | null {
  if (service.pullPolicy !== 'refresh' || service.pullRefreshPeriodNs === null || createdAtSeconds === undefined) return null;
  const ageMs = (context.options.now ?? Date.now()) - createdAtSeconds * 1000;
  const periodMs = service.pullRefreshPeriodNs / 1e6;
  return ageMs > periodMs ? `pull_policy: image older than ${formatPeriod(periodMs)}` : null;
}

function formatPeriod(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function planPull(context: PlanContext, service: Service, image: string): ImagePlan {
  const found = findImage(context.observed, image);
  const resourceId = `image:${image}`;
  if (!found && service.pullPolicy === 'never') {
    context.builder.problem({
      service: service.name,
      resourceId,
      message: `image "${image}" is not present and pull_policy is "never": pull or load it`,
    });
    return { image, operation: null, rebuilt: false, currentImageId: null, unavailable: true };
  }
  const cause = !found
    ? 'image not present'
    : service.pullPolicy === 'always'
      ? 'pull_policy: always'
      : refreshDue(context, service, found.createdAt);
  const operation =
    cause === null
      ? null
      : context.builder.add({ kind: 'pull-image', resourceId, service: service.name, cause, dependsOn: [], image });
  return { image, operation, rebuilt: false, currentImageId: found?.id ?? null, unavailable: false };
}
