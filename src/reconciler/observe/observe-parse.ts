import type { ContainerInspect, ContainerSummary, ImageSummary, NetworkSummary, VolumeSummary } from '../../engine/engine-port.js';
import {
  COMPOSE_CONTAINER_NUMBER,
  COMPOSE_PROJECT,
  COMPOSE_SERVICE,
  isOwned,
  LIMITS_HASH,
  SPEC_HASH,
} from '../labels.js';
import type {
  ContainerState,
  HealthState,
  ObservedContainer,
  ObservedImage,
  ObservedLimits,
  ObservedNetwork,
  ObservedVolume,
  ObservedVolumeMount,
} from './observed-state.js';

// What the engine's list calls return, turned into the observed state's shapes. Pure: `observe` makes
// the calls and these read the answers. Health and exit codes come from the list call's status text
// ("Up 5 seconds (healthy)", "Exited (137) 3 seconds ago"), so no container needs an inspect for them.

const CONTAINER_STATES: ReadonlySet<string> = new Set<ContainerState>([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);

/** The engine's State; an unknown value counts as dead (unusable, to be replaced). */
export function parseContainerState(state: string): ContainerState {
  const lower = state.toLowerCase();
  return CONTAINER_STATES.has(lower) ? (lower as ContainerState) : 'dead';
}

/** Health from the status text: "(healthy)", "(unhealthy)", "(health: starting)"; null when none shown. */
export function parseHealth(status: string): HealthState {
  const match = /\((healthy|unhealthy|health: starting)\)/.exec(status);
  if (!match) return null;
  return match[1] === 'health: starting' ? 'starting' : (match[1] as 'healthy' | 'unhealthy');
}

/** The exit code from "Exited (137) 3 seconds ago"; null for any other status. */
export function parseExitCode(status: string): number | null {
  const match = /^Exited \((-?\d+)\)/.exec(status);
  return match ? Number.parseInt(match[1]!, 10) : null;
}

/** The container's own name: the entry of Names without a further "/" (others are legacy link names). */
export function containerNameOf(names: readonly string[]): string {
  const own = names.find((name) => name.lastIndexOf('/') === 0) ?? names[0] ?? '';
  return own.startsWith('/') ? own.slice(1) : own;
}

function numberOf(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  return Number.parseInt(text, 10);
}

export function containerFromSummary(summary: ContainerSummary): ObservedContainer {
  const labels = { ...(summary.Labels ?? {}) };
  const state = parseContainerState(summary.State);
  return {
    id: summary.Id,
    name: containerNameOf(summary.Names),
    project: labels[COMPOSE_PROJECT] ?? null,
    service: labels[COMPOSE_SERVICE] ?? null,
    number: numberOf(labels[COMPOSE_CONTAINER_NUMBER]),
    owned: isOwned(labels),
    specHash: labels[SPEC_HASH] ?? null,
    limitsHash: labels[LIMITS_HASH] ?? null,
    state,
    health: parseHealth(summary.Status),
    exitCode: state === 'exited' ? parseExitCode(summary.Status) : null,
    image: summary.Image,
    imageId: summary.ImageID,
    labels,
    networks: Object.keys(summary.NetworkSettings?.Networks ?? {}).sort(),
    created: summary.Created,
    volumeMounts: volumeMountsOf(summary),
    limits: null,
  };
}

function volumeMountsOf(summary: ContainerSummary): ObservedVolumeMount[] {
  return (summary.Mounts ?? [])
    .filter((mount) => mount.Type === 'volume' && typeof mount.Name === 'string' && mount.Name !== '')
    .map((mount) => ({ name: mount.Name!, target: mount.Destination }))
    .sort((left, right) => compareText(left.target, right.target));
}

/** The limits a container runs with, from its inspect; unset limits are null (the engine reports 0). */
export function limitsFromInspect(inspect: ContainerInspect): ObservedLimits {
  const set = (value: number | null | undefined) => (value === undefined || value === null || value === 0 ? null : value);
  const host = inspect.HostConfig;
  return {
    memoryBytes: set(host.Memory),
    memoryReservationBytes: set(host.MemoryReservation),
    memswapBytes: set(host.MemorySwap),
    nanoCpus: set(host.NanoCpus),
    cpuShares: set(host.CpuShares),
    pidsLimit: host.PidsLimit === undefined || host.PidsLimit === null || host.PidsLimit <= 0 ? null : host.PidsLimit,
    restart: { name: host.RestartPolicy?.Name || 'no', maximumRetryCount: host.RestartPolicy?.MaximumRetryCount ?? 0 },
  };
}

export function networkFromSummary(summary: NetworkSummary): ObservedNetwork {
  const labels = { ...(summary.Labels ?? {}) };
  return { id: summary.Id, name: summary.Name, owned: isOwned(labels), labels };
}

export function volumeFromSummary(summary: VolumeSummary): ObservedVolume {
  const labels = { ...(summary.Labels ?? {}) };
  return { name: summary.Name, owned: isOwned(labels), labels };
}

export function imageFromSummary(summary: ImageSummary): ObservedImage {
  return {
    id: summary.Id,
    tags: (summary.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>').sort(),
    labels: { ...(summary.Labels ?? {}) },
    ...(typeof summary.Created === 'number' ? { createdAt: summary.Created } : {}),
  };
}

/** Code-unit order: the same on every machine, whatever the locale. */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
