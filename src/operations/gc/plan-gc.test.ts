import { describe, expect, it } from 'vitest';
import type { ContainerSummary, ImageSummary } from '../../engine/engine-port.js';
import { projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import { planGc, renderGcPlan, type GcInputs } from './plan-gc.js';

const PROJECT = projectFromYaml(`
name: shop
services:
  api:
    image: shop-api:3
`);
const image = (tag: string, built = true): ImageSummary => ({ Id: `sha256:${tag}`, RepoTags: [tag], Labels: built ? { 'io.composelet.build-hash': 'h' } : {} });
const container = (name: string, imageId: string, state = 'exited', owned = true): ContainerSummary => ({
  Id: `id-${name}`,
  Names: [`/${name}`],
  Image: imageId,
  ImageID: imageId,
  Created: 0,
  State: state,
  Status: '',
  Labels: owned ? { 'io.composelet.managed': 'true', 'com.docker.compose.project': 'shop' } : {},
});

function plan(images: ImageSummary[], containers: ContainerSummary[], keepImages: string[] = [], more: Partial<GcInputs> = {}): string {
  return renderGcPlan(planGc({ projects: [PROJECT], containers, images, networks: [], volumes: [], keepImages, volumesToo: false, ...more }));
}

describe('gc', () => {
  it.each<[string, ImageSummary[], ContainerSummary[], string[], string]>([
    ['an old build nothing uses must go', [image('shop-api:1')], [], [], 'remove image shop-api:1: built by composelet, used by no container and named by no service'],
    ['the image of a stopped container (rollback target) must stay', [image('shop-api:2')], [container('shop-api-1', 'sha256:shop-api:2')], [], 'keep image shop-api:2: a container uses it (running, stopped or kept for a rollback)'],
    ['the image the manifests name must stay', [image('shop-api:3')], [], [], 'keep image shop-api:3: a service in the manifests names it'],
    ['an image a previous-spec record lists must stay', [image('shop-api:1')], [], ['shop-api:1'], 'keep image shop-api:1: a rollback needs it (previous spec)'],
    ['an image composelet did not build must never be touched', [image('shop-api:1', false)], [], [], 'nothing to clean up'],
    ["another project's build must never be touched", [image('blog-api:1')], [], [], 'nothing to clean up'],
    ['a stopped container left by a failed replacement must go', [], [container('0123456789ab_shop-api-1', 'sha256:x')], [], 'remove container 0123456789ab_shop-api-1: exited, left by a failed replacement'],
    ['a stopped container composelet does not own must never be touched', [], [container('0123456789ab_shop-api-1', 'sha256:x', 'exited', false)], [], 'nothing to clean up'],
  ])('%s', (_name, images, containers, keepImages, expected) => {
    expect(plan(images, containers, keepImages)).toBe(expected);
  });

  it.each<[string, Partial<GcInputs>, string]>([
    ['a build-cache limit must prune the cache down to it', { buildCacheKeepBytes: 2 * 1024 ** 3 }, 'prune build cache down to 2.0 GiB: x-composelet.gc.build_cache.keep'],
    ['no build-cache limit: the cache is never touched', { buildCacheKeepBytes: null }, 'nothing to clean up'],
    [
      "a suspended service's leftover container must stay",
      { heldServices: { shop: { api: 'suspended by ops@host until resumed: forensics' } } },
      'keep container 0123456789ab_shop-api-1: suspended by ops@host until resumed: forensics',
    ],
  ])('%s', (_name, more, expected) => {
    const leftover = more.heldServices ? [container('0123456789ab_shop-api-1', 'sha256:x')] : [];
    if (leftover[0]) leftover[0].Labels = { ...leftover[0].Labels, 'com.docker.compose.service': 'api' };
    expect(plan([], leftover, [], more)).toBe(expected);
  });
});
