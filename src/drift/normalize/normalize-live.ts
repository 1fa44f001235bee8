import { isDerivedAnonymousVolumeName, isImplicitAnonymousVolumeName } from '../../actuators/volume-spec.js';
import type { ContainerInspect } from '../../engine/engine-port.js';
import { normalizeImageReference } from '../../reconciler/image-reference.js';
import { limitsFromInspect } from '../../reconciler/observe/observe-parse.js';
import {
  ANONYMOUS_VOLUME,
  isToolLabel,
  listOrNull,
  parseEnvironment,
  sortedRecord,
  sortedStrings,
  withoutImageEntries,
  type ComparableContainer,
  type ComparableMount,
  type ComparableNetwork,
  type ImageDefaults,
} from './comparable.js';
import { comparableHealthcheck, comparablePorts, comparableUlimits } from './normalize-shared.js';

// The live side of a container: `docker inspect` (Config, HostConfig, Mounts, NetworkSettings) projected
// onto the comparable shape, with what the engine fills in dropped (the container-id alias, anonymous
// volumes of the image's VOLUMEs, the image's env, labels and EXPOSE) and "container:<id>" modes turned
// back into the container names the create body used. Pure. `alignToDesired` then drops the fields the
// manifests leave to the engine (hostname, ipc, shm size...).

export interface LiveContainer {
  inspect: ContainerInspect;
  /** What the desired image supplies: stripped from the live side as from the desired side. */
  image: ImageDefaults;
  /** Container id -> name, to read "container:<id>" network, pid and ipc modes. */
  containerNames: ReadonlyMap<string, string>;
}


export function normalizeLive(live: LiveContainer): ComparableContainer {
  const { inspect, image } = live;
  const config = inspect.Config as ContainerInspect['Config'] & Record<string, unknown>;
  const host = inspect.HostConfig as ContainerInspect['HostConfig'] & Record<string, unknown>;
  const strings = (value: unknown) => (Array.isArray(value) ? value.map((item) => String(item)) : []);
  const resolve = (mode: unknown) => resolveContainerMode(typeof mode === 'string' ? mode : '', live.containerNames);
  const limits = limitsFromInspect(inspect);
  const logConfig = host['LogConfig'] as { Type?: string; Config?: Record<string, string> | null } | undefined;
  const comparable: ComparableContainer = {
    name: inspect.Name.replace(/^\//, ''),
    image: normalizeImageReference(config.Image),
    imageId: inspect.Image,
    command: listOrNull(config.Cmd),
    entrypoint: listOrNull(config.Entrypoint),
    environment: withoutImageEntries(parseEnvironment(config.Env ?? []), image.environment),
    user: typeof config['User'] === 'string' ? config['User'] : '',
    workingDir: typeof config['WorkingDir'] === 'string' ? config['WorkingDir'] : '',
    labels: withoutImageEntries(
      Object.fromEntries(Object.entries(config.Labels ?? {}).filter(([key]) => !isToolLabel(key))),
      image.labels,
    ),
    exposedPorts: Object.keys((config['ExposedPorts'] as Record<string, unknown> | null) ?? {})
      .filter((port) => !image.exposedPorts.includes(port))
      .sort(),
    ports: comparablePorts(host['PortBindings'] as Parameters<typeof comparablePorts>[0]),
    mounts: liveMounts(inspect, image),
    tmpfs: sortedRecord((host['Tmpfs'] as Record<string, string> | null) ?? {}),
    healthcheck: comparableHealthcheck(config['Healthcheck'] as Parameters<typeof comparableHealthcheck>[0]),
    limits: {
      memoryBytes: limits.memoryBytes,
      memoryReservationBytes: limits.memoryReservationBytes,
      memswapBytes: limits.memswapBytes,
      nanoCpus: limits.nanoCpus,
      cpuShares: limits.cpuShares,
      pidsLimit: limits.pidsLimit,
      restart: limits.restart,
    },
    networks: liveNetworks(inspect),
    capAdd: sortedStrings(strings(host['CapAdd'])),
    capDrop: sortedStrings(strings(host['CapDrop'])),
    securityOpt: sortedStrings(strings(host['SecurityOpt'])),
    privileged: host['Privileged'] === true,
    readOnly: host['ReadonlyRootfs'] === true,
    init: host['Init'] === true,
    tty: config['Tty'] === true,
    openStdin: config['OpenStdin'] === true,
    ulimits: comparableUlimits(host['Ulimits'] as Parameters<typeof comparableUlimits>[0]),
    extraHosts: sortedStrings(strings(host['ExtraHosts'])),
    dns: sortedStrings(strings(host['Dns'])),
    dnsSearch: sortedStrings(strings(host['DnsSearch'])),
    dnsOptions: sortedStrings(strings(host['DnsOptions'])),
    groupAdd: sortedStrings(strings(host['GroupAdd'])),
    sysctls: sortedRecord((host['Sysctls'] as Record<string, string> | null) ?? {}),
    stopSignal: (typeof config['StopSignal'] === 'string' && config['StopSignal']) || image.stopSignal || 'SIGTERM',
    networkMode: resolve(host['NetworkMode']),
    hostname: typeof config['Hostname'] === 'string' ? config['Hostname'] : '',
    pidMode: resolve(host['PidMode']),
    ipcMode: resolve(host['IpcMode']),
    logging: { driver: logConfig?.Type ?? null, options: sortedRecord(logConfig?.Config ?? {}) },
  };
  if (typeof host['ShmSize'] === 'number') comparable.shmSizeBytes = host['ShmSize'];
  if (typeof config['StopTimeout'] === 'number') comparable.stopTimeoutSeconds = config['StopTimeout'];
  return comparable;
}

/** Drops from the live side what the desired side leaves to the engine, so only asked-for fields compare. */
export function alignToDesired(desired: ComparableContainer, live: ComparableContainer): ComparableContainer {
  const aligned: ComparableContainer = { ...live, limits: { ...live.limits } };
  const optional = ['imageId', 'networkMode', 'hostname', 'pidMode', 'ipcMode', 'shmSizeBytes', 'stopTimeoutSeconds', 'logging'] as const;
  for (const field of optional) {
    if (desired[field] === undefined) delete aligned[field];
  }
  if (desired.limits.memswapBytes === undefined) delete aligned.limits.memswapBytes;
  // `network_mode: bridge` (or any named mode) shows as an endpoint on that network: it is the mode.
  if (desired.networkMode !== undefined && live.networkMode !== undefined && live.networkMode in aligned.networks) {
    aligned.networks = Object.fromEntries(Object.entries(aligned.networks).filter(([name]) => name !== live.networkMode));
  }
  if (desired.logging !== undefined && desired.logging.driver === null && aligned.logging !== undefined) {
    aligned.logging = { ...aligned.logging, driver: null };
  }
  return aligned;
}

/** "container:<id>" -> "container:<name>" when the id is known; anything else as is. */
export function resolveContainerMode(mode: string, containerNames: ReadonlyMap<string, string>): string {
  if (!mode.startsWith('container:')) return mode;
  const reference = mode.slice('container:'.length);
  for (const [id, name] of containerNames) {
    if (reference.length >= 12 && id.startsWith(reference)) return `container:${name}`;
  }
  return mode;
}

function liveMounts(inspect: ContainerInspect, image: ImageDefaults): Record<string, ComparableMount> {
  const mounts: Record<string, ComparableMount> = {};
  for (const mount of inspect.Mounts ?? []) {
    // The engine's own anonymous volumes (64 hex) and the ones composelet names for anonymous mounts.
    const anonymous = mount.Type === 'volume' && (isImplicitAnonymousVolumeName(mount.Name ?? '') || isDerivedAnonymousVolumeName(mount.Name ?? ''));
    if (anonymous && image.volumes.includes(mount.Destination)) continue;
    const source = mount.Type === 'volume' ? (anonymous ? ANONYMOUS_VOLUME : (mount.Name ?? '')) : mount.Type === 'tmpfs' ? '' : mount.Source;
    mounts[mount.Destination] = { type: mount.Type, source, readOnly: !mount.RW };
  }
  return sortedRecord(mounts);
}

function liveNetworks(inspect: ContainerInspect): Record<string, ComparableNetwork> {
  const mode = String((inspect.HostConfig as Record<string, unknown>)['NetworkMode'] ?? '');
  const shortId = inspect.Id.slice(0, 12);
  const networks: Record<string, ComparableNetwork> = {};
  for (const [name, endpoint] of Object.entries(inspect.NetworkSettings?.Networks ?? {})) {
    // `network_mode: host` / `none` shows as an endpoint on the pseudo-network of that name.
    if (name === mode && (mode === 'host' || mode === 'none')) continue;
    const settings = endpoint as { Aliases: string[] | null; IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null };
    networks[name] = {
      aliases: sortedStrings((settings.Aliases ?? []).filter((alias) => alias !== shortId)),
      ipv4Address: settings.IPAMConfig?.IPv4Address || null,
      ipv6Address: settings.IPAMConfig?.IPv6Address || null,
    };
  }
  return sortedRecord(networks);
}
