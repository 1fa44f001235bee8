import { describe, expect, it } from 'vitest';
import { BUILD_HASH } from '../../labels.js';
import type { ObservedState } from '../../observe/observed-state.js';
import {
  convergedContainer,
  convergedState,
  emptyState,
  imageIdFor,
  lines,
  named,
  observedImage,
  observedNetwork,
  planText,
  projectFromYaml,
  repeatedId,
  withContainer,
} from '../../observe/observed-builders.test-support.js';

const OLD_ID = repeatedId('a');

const IMAGES = projectFromYaml(`
name: demo
services:
  api: { build: ./api }
  cache: { image: redis:7, pull_policy: always }
  local: { image: acme/local:1, pull_policy: never }
`);
const HASHES = { api: 'inputs-2' };

interface ImageScenario {
  name: string;
  state: () => ObservedState;
  expected: string;
}

const convergedImages = () => convergedState(IMAGES, { buildHashes: HASHES });

describe('plan: images', () => {
  it.each(named<ImageScenario>([
    {
      name: 'a service with build: and no image must be built before its container is created',
      state: () => ({ ...convergedImages(), containers: [], images: [observedImage('redis:7'), observedImage('acme/local:1')] }),
      expected: lines(`
        [0] build-image image:demo-api (not built)
        [1] pull-image image:redis:7 (pull_policy: always)
        [2] create-container container:demo-api-1 (not found) after [0]
        [3] start-container container:demo-api-1 (new container) after [2]
        [4] create-container container:demo-cache-1 (not found) after [1]
        [5] start-container container:demo-cache-1 (new container) after [4]
        [6] create-container container:demo-local-1 (not found)
        [7] start-container container:demo-local-1 (new container) after [6]
      `),
    },
    {
      name: 'an image built from the current inputs must not be rebuilt (pull_policy always still pulls)',
      state: convergedImages,
      expected: '[0] pull-image image:redis:7 (pull_policy: always)',
    },
    {
      name: 'changed build inputs must rebuild the image and replace its containers after the build',
      state: () => {
        const state = convergedImages();
        const images = state.images.map((image) => (image.tags.includes('demo-api:latest') ? { ...image, labels: { [BUILD_HASH]: 'inputs-1' } } : image));
        return withContainer({ ...state, images }, convergedContainer(IMAGES, 'api', 1, { id: OLD_ID }));
      },
      expected: lines(`
        [0] build-image image:demo-api (build inputs changed)
        [1] pull-image image:redis:7 (pull_policy: always)
        [2] rename-container container:demo-api-1 from=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa to=demo-api-1-previous-aaaaaaaaaaaa (image rebuilt: renamed aside to free the name) after [0]
        [3] create-container container:demo-api-1 inherit-volumes=aaaaaaaaaaaa (image rebuilt) after [0,2]
        [4] start-container container:demo-api-1 (image rebuilt) after [3]
        [5] wait container:demo-api-1 condition=running monitor=10s (rollout: the replacement must stay running for 10s before the old container goes) after [4]
        [6] stop-container container:demo-api-1 id=aaaaaaaaaaaa timeout=10s (image rebuilt) after [3,5]
        [7] remove-container container:demo-api-1 id=aaaaaaaaaaaa (rollout: replaced) after [3,5,6]
        [8] remove-container container:demo-api-1 force (rollout failed: demo-api-1 comes back (aaaaaaaaaaaa)) after [2] if [3,4,5] fail
        [9] rename-container container:demo-api-1 from=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (rollout failed: demo-api-1 comes back (aaaaaaaaaaaa)) after [8] if [3,4,5] fail
        [10] start-container container:demo-api-1 id=aaaaaaaaaaaa (rollout failed: demo-api-1 comes back (aaaaaaaaaaaa)) after [8,9] if [3,4,5] fail
      `),
    },
    {
      name: 'an image missing under pull_policy never must be reported and its container not created',
      state: () => ({ ...convergedImages(), containers: convergedImages().containers.filter((container) => container.service !== 'local'), images: convergedImages().images.filter((image) => !image.tags.includes('acme/local:1')) }),
      expected: lines(`
        [0] pull-image image:redis:7 (pull_policy: always)
        ! image:acme/local:1: image "acme/local:1" is not present and pull_policy is "never": pull or load it
      `),
    },
    {
      name: 'an image missing under pull_policy never must leave the running container alone',
      state: () => ({ ...convergedImages(), images: convergedImages().images.filter((image) => !image.tags.includes('acme/local:1')) }),
      expected: lines(`
        [0] pull-image image:redis:7 (pull_policy: always)
        ! image:acme/local:1: image "acme/local:1" is not present and pull_policy is "never": pull or load it
      `),
    },
  ]))('%s', (_name, { state, expected }) => {
    expect(planText(IMAGES, state(), { buildHashes: HASHES })).toBe(expected);
  });

  describe('pull_policy daily, weekly and every_<duration>', () => {
    const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
    const HOUR_SECONDS = 3600;
    const project = projectFromYaml(`
name: demo
services:
  daily: { image: acme/daily:1, pull_policy: daily }
  every: { image: acme/every:1, pull_policy: every_12h }
  refresh: { image: acme/refresh:1, pull_policy: refresh }
`);
    const stateWithAges = (ageHours: number) => {
      const state = convergedState(project);
      const images = state.images.map((image) => ({ ...image, createdAt: NOW / 1000 - ageHours * HOUR_SECONDS }));
      return { ...state, images };
    };

    it.each<[string, number, string]>([
      ['an image younger than every period must not be pulled', 11, 'no changes'],
      ['an image older than 12h but younger than a day must be pulled under every_12h only', 13, '[0] pull-image image:acme/every:1 (pull_policy: image older than 12h)'],
      [
        'an image older than a day must be pulled under daily and every_12h; refresh alone means missing (compose-go)',
        25,
        lines(`
          [0] pull-image image:acme/daily:1 (pull_policy: image older than 1d)
          [1] pull-image image:acme/every:1 (pull_policy: image older than 12h)
        `),
      ],
    ])('%s', (_name, ageHours, expected) => {
      expect(planText(project, stateWithAges(ageHours), { now: NOW })).toBe(expected);
    });
  });

  it('an image named with Docker Hub prefixes and no tag must be found under its short tag', () => {
    const project = projectFromYaml('name: demo\nservices:\n  web: { image: docker.io/library/nginx }\n');
    const observed = { ...convergedState(project), images: [{ id: imageIdFor('nginx'), tags: ['nginx:latest'], labels: {} }] };
    expect(planText(project, observed)).toBe('no changes');
  });

  it('an empty engine must pull an image-only service once even when several services share the image', () => {
    const project = projectFromYaml('name: demo\nservices:\n  one: { image: busybox:1 }\n  two: { image: busybox:1 }\n');
    expect(planText(project, { ...emptyState('demo'), networks: [observedNetwork('demo', 'demo_default')] })).toBe(
      lines(`
        [0] pull-image image:busybox:1 (image not present)
        [1] create-container container:demo-one-1 (not found) after [0]
        [2] start-container container:demo-one-1 (new container) after [1]
        [3] create-container container:demo-two-1 (not found) after [0]
        [4] start-container container:demo-two-1 (new container) after [3]
      `),
    );
  });
});
