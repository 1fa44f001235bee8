// One shape for both sides of a container: normalize-desired.ts projects the create body composelet
// sends onto it, normalize-live.ts projects `docker inspect` onto it, and compare.ts diffs the two with
// JSON Patch. Sets are sorted arrays or maps keyed by their natural key (env by name, mounts by target,
// networks by name), so a patch path names the field that changed. Everything the image supplies (env,
// labels, exposed ports, volumes) is left out of both sides; engine defaults are spelled out on both.

import type { EngineHealthcheck } from '../../actuators/container-spec.js';
import type { Healthcheck } from '../../desired-state/model.js';

export interface ComparableMount {
  type: string;
  /** Volume name, host path, '(anonymous)' for an anonymous volume, '' for tmpfs. */
  source: string;
  readOnly: boolean;
}

/** The model's own shape: test (['NONE'] when disabled) and durations in ns. */
export type ComparableHealthcheck = Healthcheck;

export interface ComparableLimits {
  memoryBytes: number | null;
  memoryReservationBytes: number | null;
  /** Compared only when the manifests set it: the engine reports twice the memory limit otherwise. */
  memswapBytes?: number | null;
  nanoCpus: number | null;
  cpuShares: number | null;
  pidsLimit: number | null;
  restart: { name: string; maximumRetryCount: number };
}

export interface ComparableNetwork {
  /** Sorted; without the container-id alias the engine adds. */
  aliases: string[];
  ipv4Address: string | null;
  ipv6Address: string | null;
}

export interface ComparableContainer {
  name: string;
  /** Normalized reference (`redis` is `redis:latest`). */
  image: string;
  /** Id of the image: the one the tag names now (desired) and the one the container runs (live).
   * Compared only when the desired image is present locally. */
  imageId?: string;
  command: string[] | null;
  entrypoint: string[] | null;
  /** Without variables the image sets to the same value. */
  environment: Record<string, string>;
  user: string;
  workingDir: string;
  /** User labels: without compose's and composelet's own, and without the image's. */
  labels: Record<string, string>;
  /** "port/protocol", sorted, without the image's EXPOSE. */
  exposedPorts: string[];
  /** "8080/tcp" -> sorted "hostIp:hostPort" ("0.0.0.0" for all interfaces, "random" for an engine-picked port). */
  ports: Record<string, string[]>;
  /** By target path. */
  mounts: Record<string, ComparableMount>;
  /** `tmpfs:` entries: target -> options. */
  tmpfs: Record<string, string>;
  healthcheck: ComparableHealthcheck | null;
  limits: ComparableLimits;
  /** By engine network name. */
  networks: Record<string, ComparableNetwork>;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  privileged: boolean;
  readOnly: boolean;
  init: boolean;
  tty: boolean;
  openStdin: boolean;
  ulimits: Record<string, { soft: number; hard: number }>;
  extraHosts: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  groupAdd: string[];
  sysctls: Record<string, string>;
  stopSignal: string;
  /** The fields below are compared only when the manifests set them (else the engine picks). */
  networkMode?: string;
  hostname?: string;
  pidMode?: string;
  ipcMode?: string;
  shmSizeBytes?: number;
  stopTimeoutSeconds?: number;
  /** driver null: the engine's default driver. */
  logging?: { driver: string | null; options: Record<string, string> };
}

/** What the image supplies when the create body leaves a field out (the engine merges these in). */
export interface ImageDefaults {
  id: string | null;
  command: string[] | null;
  entrypoint: string[] | null;
  environment: Record<string, string>;
  user: string;
  workingDir: string;
  labels: Record<string, string>;
  exposedPorts: string[];
  /** Paths of the image's VOLUME declarations. */
  volumes: string[];
  stopSignal: string | null;
  healthcheck: EngineHealthcheck | null;
}

export const NO_IMAGE_DEFAULTS: ImageDefaults = {
  id: null,
  command: null,
  entrypoint: null,
  environment: {},
  user: '',
  workingDir: '',
  labels: {},
  exposedPorts: [],
  volumes: [],
  stopSignal: null,
  healthcheck: null,
};

/** Reads an image inspect answer. EnginePort types only Config.Labels; the engine sends all of Config. */
export function imageDefaultsFromInspect(inspect: { Id: string; Config?: unknown }): ImageDefaults {
  const config = (inspect.Config ?? {}) as Record<string, unknown>;
  const strings = (value: unknown): string[] | null =>
    Array.isArray(value) && value.length > 0 ? value.map((item) => String(item)) : null;
  const record = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return {
    id: inspect.Id,
    command: strings(config['Cmd']),
    entrypoint: strings(config['Entrypoint']),
    environment: parseEnvironment(strings(config['Env']) ?? []),
    user: typeof config['User'] === 'string' ? config['User'] : '',
    workingDir: typeof config['WorkingDir'] === 'string' ? config['WorkingDir'] : '',
    labels: Object.fromEntries(Object.entries(record(config['Labels'])).map(([key, value]) => [key, String(value)])),
    exposedPorts: Object.keys(record(config['ExposedPorts'])).sort(),
    volumes: Object.keys(record(config['Volumes'])).sort(),
    stopSignal: typeof config['StopSignal'] === 'string' && config['StopSignal'] !== '' ? config['StopSignal'] : null,
    healthcheck: config['Healthcheck'] ? (config['Healthcheck'] as ImageDefaults['healthcheck']) : null,
  };
}

/** "KEY=value" entries as a map (an entry without "=" has the empty value). */
export function parseEnvironment(entries: readonly string[]): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals === -1) environment[entry] = '';
    else environment[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return sortedRecord(environment);
}

export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key]!;
  return sorted;
}

export function sortedStrings(values: readonly string[] | null | undefined): string[] {
  return [...(values ?? [])].sort();
}

/** Null for an empty or absent list: the engine treats both as "not set". */
export function listOrNull(values: readonly string[] | null | undefined): string[] | null {
  return values === null || values === undefined || values.length === 0 ? null : [...values];
}

/** A map without entries whose value the image sets the same way. */
export function withoutImageEntries(record: Record<string, string>, image: Record<string, string>): Record<string, string> {
  return sortedRecord(Object.fromEntries(Object.entries(record).filter(([key, value]) => image[key] !== value)));
}

/** Labels composelet and Compose stamp: compared through ownership and spec hash, not as fields. */
export function isToolLabel(key: string): boolean {
  return key.startsWith('com.docker.compose.') || key.startsWith('io.composelet.');
}

export const ANONYMOUS_VOLUME = '(anonymous)';
