import { buildContainerSpec, containerName, imageFor, type ContainerCreateSpec } from '../../actuators/container-spec.js';
import type { EngineMount } from '../../actuators/container-mounts.js';
import type { Project, Service } from '../../desired-state/model.js';
import { normalizeImageReference } from '../../reconciler/image-reference.js';
import { networkAttachments } from '../../reconciler/naming.js';
import {
  ANONYMOUS_VOLUME,
  isToolLabel,
  listOrNull,
  sortedRecord,
  sortedStrings,
  withoutImageEntries,
  type ComparableContainer,
  type ComparableMount,
  type ImageDefaults,
} from './comparable.js';
import { comparableHealthcheck, comparablePorts, comparableUlimits } from './normalize-shared.js';

// The desired side of a container: the create body composelet sends (buildContainerSpec), merged with
// what the engine takes from the image when the body leaves a field out (the daemon's `merge`: CMD only
// when no ENTRYPOINT is given, USER, WORKDIR, STOPSIGNAL, HEALTHCHECK field by field), then projected
// onto the comparable shape. Pure.

export interface DesiredContainer {
  project: Project;
  service: Service;
  /** 1-based replica number. */
  number: number;
  /** What the image the service runs supplies (NO_IMAGE_DEFAULTS when the image is not here). */
  image: ImageDefaults;
}

export function normalizeDesired(desired: DesiredContainer): ComparableContainer {
  const { project, service, number, image } = desired;
  const spec = buildContainerSpec(project, service, { number, image: imageFor(project, service) });
  const host = spec.HostConfig;
  const { command, entrypoint } = effectiveCommand(spec, image);
  const comparable: ComparableContainer = {
    name: containerName(project, service, number),
    image: normalizeImageReference(spec.Image),
    command,
    entrypoint,
    environment: withoutImageEntries(service.environment, image.environment),
    user: spec.User ?? image.user,
    workingDir: spec.WorkingDir ?? image.workingDir,
    labels: withoutImageEntries(
      Object.fromEntries(Object.entries(spec.Labels).filter(([key]) => !isToolLabel(key))),
      image.labels,
    ),
    exposedPorts: Object.keys(spec.ExposedPorts).filter((port) => !image.exposedPorts.includes(port)).sort(),
    ports: comparablePorts(host['PortBindings'] as Record<string, Array<{ HostIp: string; HostPort: string }>>),
    mounts: desiredMounts(host, image),
    tmpfs: sortedRecord((host['Tmpfs'] as Record<string, string> | undefined) ?? {}),
    healthcheck: comparableHealthcheck(mergeHealthcheck(spec.Healthcheck, image.healthcheck)),
    limits: {
      memoryBytes: service.limits.memoryBytes,
      memoryReservationBytes: service.limits.memoryReservationBytes,
      ...(service.limits.memswapBytes !== null ? { memswapBytes: service.limits.memswapBytes } : {}),
      nanoCpus: service.limits.nanoCpus,
      cpuShares: service.limits.cpuShares,
      pidsLimit: service.limits.pidsLimit === null || service.limits.pidsLimit <= 0 ? null : service.limits.pidsLimit,
      restart: { name: service.restart.name, maximumRetryCount: service.restart.maximumRetryCount },
    },
    networks: Object.fromEntries(
      networkAttachments(project, service)
        .map((attachment) => [
          attachment.name,
          { aliases: sortedStrings(attachment.aliases), ipv4Address: attachment.ipv4Address, ipv6Address: attachment.ipv6Address },
        ] as const)
        .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)),
    ),
    capAdd: sortedStrings(service.capAdd),
    capDrop: sortedStrings(service.capDrop),
    securityOpt: sortedStrings(host['SecurityOpt'] as string[] | undefined),
    privileged: service.privileged,
    readOnly: service.readOnly,
    init: service.init ?? false,
    tty: spec.Tty,
    openStdin: spec.OpenStdin,
    ulimits: comparableUlimits(host['Ulimits'] as Array<{ Name: string; Soft: number; Hard: number }> | undefined),
    extraHosts: sortedStrings(service.extraHosts),
    dns: sortedStrings(service.dns),
    dnsSearch: sortedStrings(service.dnsSearch),
    dnsOptions: sortedStrings(service.dnsOpt),
    groupAdd: sortedStrings(service.groupAdd),
    sysctls: sortedRecord(service.sysctls),
    stopSignal: spec.StopSignal ?? image.stopSignal ?? 'SIGTERM',
  };
  if (service.networkMode !== null) comparable.networkMode = String(host['NetworkMode']);
  if (spec.Hostname !== undefined) comparable.hostname = spec.Hostname;
  if (typeof host['PidMode'] === 'string') comparable.pidMode = host['PidMode'];
  if (typeof host['IpcMode'] === 'string') comparable.ipcMode = host['IpcMode'];
  if (typeof host['ShmSize'] === 'number') comparable.shmSizeBytes = host['ShmSize'];
  if (spec.StopTimeout !== undefined) comparable.stopTimeoutSeconds = spec.StopTimeout;
  if (service.logging !== null) {
    comparable.logging = { driver: service.logging.driver || null, options: sortedRecord(service.logging.options) };
  }
  return comparable;
}

/** The engine's merge: without an ENTRYPOINT in the body, an empty CMD takes the image's, and a missing
 * ENTRYPOINT the image's; with one, the image's CMD is not used. */
export function effectiveCommand(
  spec: Pick<ContainerCreateSpec, 'Cmd' | 'Entrypoint'>,
  image: Pick<ImageDefaults, 'command' | 'entrypoint'>,
): { command: string[] | null; entrypoint: string[] | null } {
  if (spec.Entrypoint !== undefined && spec.Entrypoint.length > 0) {
    return { command: listOrNull(spec.Cmd), entrypoint: [...spec.Entrypoint] };
  }
  return {
    command: listOrNull(spec.Cmd) ?? image.command,
    entrypoint: spec.Entrypoint === undefined ? image.entrypoint : null,
  };
}

/** The engine's merge: no healthcheck takes the image's; an empty test or a zero timing takes the image's. */
export function mergeHealthcheck(
  own: ContainerCreateSpec['Healthcheck'],
  image: ImageDefaults['healthcheck'],
): ContainerCreateSpec['Healthcheck'] | null {
  if (own === undefined) return image;
  if (image === null) return own;
  const pick = (mine: number | undefined, theirs: number | undefined) => (mine !== undefined && mine !== 0 ? mine : theirs);
  const merged: NonNullable<ContainerCreateSpec['Healthcheck']> = {};
  const test = own.Test !== undefined && own.Test.length > 0 ? own.Test : image.Test;
  if (test !== undefined) merged.Test = test;
  const timings = ['Interval', 'Timeout', 'Retries', 'StartPeriod', 'StartInterval'] as const;
  for (const timing of timings) {
    const value = pick(own[timing], image[timing]);
    if (value !== undefined) merged[timing] = value;
  }
  return merged;
}

/** Binds, Mounts (volumes by engine name, binds, tmpfs) by target; anonymous volumes the image declares
 * are left out, as on the live side. */
function desiredMounts(host: Record<string, unknown>, image: ImageDefaults): Record<string, ComparableMount> {
  const mounts: Record<string, ComparableMount> = {};
  for (const bind of (host['Binds'] as string[] | undefined) ?? []) {
    const parsed = parseBind(bind);
    mounts[parsed.target] = { type: 'bind', source: parsed.source, readOnly: parsed.readOnly };
  }
  for (const mount of (host['Mounts'] as EngineMount[] | undefined) ?? []) {
    const anonymous = mount.Type === 'volume' && (mount.Source === undefined || mount.Source === '');
    if (anonymous && image.volumes.includes(mount.Target)) continue;
    mounts[mount.Target] = {
      type: mount.Type,
      source: anonymous ? ANONYMOUS_VOLUME : (mount.Source ?? ''),
      readOnly: mount.ReadOnly,
    };
  }
  return sortedRecord(mounts);
}

/** "source:target:rw,z" as bindString writes it. */
export function parseBind(bind: string): { source: string; target: string; readOnly: boolean } {
  const parts = bind.split(':');
  const options = parts.length >= 3 ? (parts.pop() ?? '') : 'rw';
  const target = parts.pop() ?? '';
  return { source: parts.join(':'), target, readOnly: options.split(',').includes('ro') };
}
