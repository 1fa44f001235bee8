import { describe, expect, it } from 'vitest';
import type { ContainerInspect, ContainerSummary } from '../../engine/engine-port.js';
import {
  containerFromSummary,
  containerNameOf,
  imageFromSummary,
  limitsFromInspect,
  networkFromSummary,
  parseContainerState,
  parseExitCode,
  parseHealth,
  volumeFromSummary,
} from './observe-parse.js';
import type { ObservedContainer, ObservedLimits } from './observed-state.js';

describe('parseHealth', () => {
  it.each<[status: string, expected: ReturnType<typeof parseHealth>]>([
    ['Up 5 seconds (healthy)', 'healthy'],
    ['Up 2 minutes (health: starting)', 'starting'],
    ['Up About an hour (unhealthy)', 'unhealthy'],
    ['Up 5 seconds', null],
    ['Up 3 minutes (Paused)', null],
    ['Up 3 minutes (healthy) (Paused)', 'healthy'],
    ['Exited (0) 5 seconds ago', null],
    ['Created', null],
    ['', null],
  ])('the status %j must read as health %j', (status, expected) => {
    expect(parseHealth(status)).toBe(expected);
  });
});

describe('parseExitCode', () => {
  it.each<[status: string, expected: number | null]>([
    ['Exited (137) 3 seconds ago', 137],
    ['Exited (0) About a minute ago', 0],
    ['Exited (-1) 2 days ago', -1],
    ['Up 5 seconds', null],
    ['Restarting (1) 2 seconds ago', null],
    ['Created', null],
  ])('the status %j must read as exit code %j', (status, expected) => {
    expect(parseExitCode(status)).toBe(expected);
  });
});

describe('parseContainerState', () => {
  it.each<[state: string, expected: ReturnType<typeof parseContainerState>]>([
    ['running', 'running'],
    ['exited', 'exited'],
    ['created', 'created'],
    ['paused', 'paused'],
    ['restarting', 'restarting'],
    ['removing', 'removing'],
    ['dead', 'dead'],
    ['Running', 'running'],
    ['something-new', 'dead'],
  ])('the state %j must read as %j', (state, expected) => {
    expect(parseContainerState(state)).toBe(expected);
  });
});

describe('containerNameOf', () => {
  it.each<[names: string[], expected: string]>([
    [['/demo-web-1'], 'demo-web-1'],
    [['/demo-api-1/web', '/demo-web-1'], 'demo-web-1'],
    [[], ''],
  ])('the names %j must give %j', (names, expected) => {
    expect(containerNameOf(names)).toBe(expected);
  });
});

function summary(overrides: Partial<ContainerSummary>): ContainerSummary {
  return {
    Id: 'abc123',
    Names: ['/demo-web-1'],
    Image: 'composelet/busybox:1',
    ImageID: 'sha256:1111',
    Created: 1_700_000_000,
    State: 'running',
    Status: 'Up 5 seconds (healthy)',
    Labels: {
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '2',
      'io.composelet.managed': 'true',
      'io.composelet.spec-hash': 'spec1',
      'io.composelet.limits-hash': 'limits1',
    },
    NetworkSettings: { Networks: { demo_front: {}, demo_back: {} } },
    ...overrides,
  };
}

describe('containerFromSummary', () => {
  it('an owned running container must be read field by field', () => {
    expect(containerFromSummary(summary({}))).toEqual<ObservedContainer>({
      id: 'abc123',
      name: 'demo-web-1',
      project: 'demo',
      service: 'web',
      number: 2,
      owned: true,
      specHash: 'spec1',
      limitsHash: 'limits1',
      state: 'running',
      health: 'healthy',
      exitCode: null,
      image: 'composelet/busybox:1',
      imageId: 'sha256:1111',
      labels: summary({}).Labels,
      networks: ['demo_back', 'demo_front'],
      created: 1_700_000_000,
      volumeMounts: [],
      limits: null,
    });
  });

  it.each<[name: string, overrides: Partial<ContainerSummary>, pick: (container: ObservedContainer) => unknown, expected: unknown]>([
    ['an exited container must carry its exit code', { State: 'exited', Status: 'Exited (137) 3 seconds ago' }, (container) => container.exitCode, 137],
    ['a container without labels must be unowned and anonymous', { Labels: {} }, (container) => [container.owned, container.project, container.service, container.number, container.specHash], [false, null, null, null, null]],
    ['a non-numeric container number must be null', { Labels: { 'com.docker.compose.container-number': 'x' } }, (container) => container.number, null],
    ['a container without network settings must have no networks', { NetworkSettings: {} }, (container) => container.networks, []],
    ['ownership must need the value "true"', { Labels: { 'io.composelet.managed': 'yes' } }, (container) => container.owned, false],
  ])('%s', (_name, overrides, pick, expected) => {
    expect(pick(containerFromSummary(summary(overrides)))).toEqual(expected);
  });

  it('labels must be a copy, not the engine answer', () => {
    const answer = summary({});
    const container = containerFromSummary(answer);
    container.labels['added'] = 'x';
    expect(answer.Labels['added']).toBeUndefined();
  });
});

function inspectWith(host: ContainerInspect['HostConfig']): ContainerInspect {
  return { HostConfig: host } as ContainerInspect;
}

describe('limitsFromInspect', () => {
  it.each<[name: string, host: ContainerInspect['HostConfig'], expected: ObservedLimits]>([
    [
      'set limits must be read as they are',
      { Memory: 64, MemoryReservation: 32, MemorySwap: 128, NanoCpus: 5e8, CpuShares: 512, PidsLimit: 50, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } },
      { memoryBytes: 64, memoryReservationBytes: 32, memswapBytes: 128, nanoCpus: 5e8, cpuShares: 512, pidsLimit: 50, restart: { name: 'always', maximumRetryCount: 0 } },
    ],
    [
      'zeros, a null pids limit and an empty restart policy must read as unset',
      { Memory: 0, MemoryReservation: 0, MemorySwap: 0, NanoCpus: 0, CpuShares: 0, PidsLimit: null, RestartPolicy: { Name: '', MaximumRetryCount: 0 } },
      { memoryBytes: null, memoryReservationBytes: null, memswapBytes: null, nanoCpus: null, cpuShares: null, pidsLimit: null, restart: { name: 'no', maximumRetryCount: 0 } },
    ],
    [
      'a pids limit of -1 and unlimited swap must read as no pids limit and -1 swap',
      { PidsLimit: -1, MemorySwap: -1 },
      { memoryBytes: null, memoryReservationBytes: null, memswapBytes: -1, nanoCpus: null, cpuShares: null, pidsLimit: null, restart: { name: 'no', maximumRetryCount: 0 } },
    ],
  ])('%s', (_name, host, expected) => {
    expect(limitsFromInspect(inspectWith(host))).toEqual(expected);
  });
});

describe('network, volume and image summaries', () => {
  it.each<[name: string, actual: () => unknown, expected: unknown]>([
    [
      'an owned network must keep id, name and labels',
      () => networkFromSummary({ Id: 'n1', Name: 'demo_default', Driver: 'bridge', Labels: { 'io.composelet.managed': 'true' } }),
      { id: 'n1', name: 'demo_default', owned: true, labels: { 'io.composelet.managed': 'true' } },
    ],
    [
      'a network with null labels must be unowned with empty labels',
      () => networkFromSummary({ Id: 'n2', Name: 'bridge', Driver: 'bridge', Labels: null }),
      { id: 'n2', name: 'bridge', owned: false, labels: {} },
    ],
    [
      'a volume must keep name and labels',
      () => volumeFromSummary({ Name: 'demo_data', Driver: 'local', Labels: { 'com.docker.compose.project': 'demo' } }),
      { name: 'demo_data', owned: false, labels: { 'com.docker.compose.project': 'demo' } },
    ],
    [
      'an image must have its tags sorted, without <none>',
      () => imageFromSummary({ Id: 'sha256:2', RepoTags: ['b:1', '<none>:<none>', 'a:1'], Labels: null }),
      { id: 'sha256:2', tags: ['a:1', 'b:1'], labels: {} },
    ],
    [
      'an untagged image must have no tags',
      () => imageFromSummary({ Id: 'sha256:3', RepoTags: null, Labels: { x: 'y' } }),
      { id: 'sha256:3', tags: [], labels: { x: 'y' } },
    ],
  ])('%s', (_name, actual, expected) => {
    expect(actual()).toEqual(expected);
  });
});
