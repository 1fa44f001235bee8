import type { Project, Service } from '../desired-state/model.js';
import {
  COMPOSE_CONFIG_FILES,
  COMPOSE_CONFIG_HASH,
  COMPOSE_CONTAINER_NUMBER,
  COMPOSE_ONEOFF,
  COMPOSE_PROJECT,
  COMPOSE_SERVICE,
  COMPOSE_VERSION,
  COMPOSE_WORKING_DIR,
  LIMITS_HASH,
  OWNED_BY_COMPOSELET,
  SPEC_HASH,
} from '../reconciler/labels.js';
import { limitsHash } from '../reconciler/limits.js';
import { buildFilesystem, type AnonymousVolumeNames, type EngineMount } from './container-mounts.js';
import { containerLinks, volumesFromOf } from './container-links.js';
import { buildNetworking, resolveServiceReference } from './container-networks.js';

export { additionalNetworks, type NetworkAttachment } from './container-networks.js';

// A service's container as the engine wants it: the body of POST /containers/create, built from the
// normalized model the way Compose v2 builds it (pkg/compose/create.go `getCreateConfigs`). Pure: the
// planner puts it in the plan, the executor sends it as is. Fields the model leaves unset are omitted so
// the image's own values (CMD, ENTRYPOINT, USER, WORKDIR, HEALTHCHECK, STOPSIGNAL) apply.

/** The value composelet writes in `com.docker.compose.version`: a version (Compose v2's semantics, marked as
 * composelet's), because docker compose compares it as one (1.29's `up` fails on a value that is not). */
export const COMPOSE_VERSION_VALUE = '2.0.0-composelet';

/** A healthcheck as the engine holds it (create body and image config alike): durations in ns. */
export interface EngineHealthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

/** The create body (Docker Engine API 1.41 field names). */
export interface ContainerCreateSpec {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env: string[];
  User?: string;
  WorkingDir?: string;
  Hostname?: string;
  ExposedPorts: Record<string, Record<string, never>>;
  Labels: Record<string, string>;
  Healthcheck?: EngineHealthcheck;
  StopSignal?: string;
  StopTimeout?: number;
  Tty: boolean;
  OpenStdin: boolean;
  NetworkDisabled?: boolean;
  /** The container-wide MAC address (API 1.41 takes it here, for the primary network). */
  MacAddress?: string;
  /** Not part of the body: the engine adapter sends it as create's `platform` query parameter. */
  platform?: string;
  HostConfig: Record<string, unknown>;
  NetworkingConfig: { EndpointsConfig: Record<string, Record<string, unknown>> };
}

export interface ContainerSpecOptions {
  /** 1-based replica number. */
  number: number;
  /** Image to run: the service's image, or the name composelet builds it under. */
  image: string;
  /** target -> volume name for the anonymous volumes (the plan names them); unset: the engine makes them. */
  anonymousVolumes?: AnonymousVolumeNames;
}

/** `container_name`, or `<project>-<service>-<number>` as Compose v2 names containers. */
export function containerName(project: Project, service: Service, number: number): string {
  return service.containerName ?? `${project.name}-${service.name}-${number}`;
}

/** The image a service runs: `image:`, or `<project>-<service>` (lower-case) when only `build:` is given. */
export function imageFor(project: Project, service: Service): string {
  return service.image ?? `${project.name}-${service.name}`.toLowerCase();
}

export function buildContainerSpec(project: Project, service: Service, options: ContainerSpecOptions): ContainerCreateSpec {
  const containerNameOf = (serviceName: string) => {
    const other = project.services[serviceName];
    return other ? containerName(project, other, 1) : `${project.name}-${serviceName}-1`;
  };
  const links = containerLinks(project, service, options.number, (other, number) => containerName(project, other, number));
  const networking = buildNetworking(project, service, containerNameOf, links);
  const spec: ContainerCreateSpec = {
    Image: options.image,
    Env: Object.entries(service.environment).map(([key, value]) => `${key}=${value}`).sort(),
    ExposedPorts: exposedPorts(service),
    Labels: containerLabels(project, service, options.number),
    Tty: service.tty,
    OpenStdin: service.stdinOpen,
    HostConfig: hostConfig(project, service, { networkMode: networking.networkMode, links, containerNameOf, anonymousVolumes: options.anonymousVolumes ?? {} }),
    NetworkingConfig: { EndpointsConfig: networking.endpointsConfig },
  };
  if (service.command !== null) spec.Cmd = [...service.command];
  if (service.entrypoint !== null) spec.Entrypoint = [...service.entrypoint];
  if (service.user !== null) spec.User = service.user;
  if (service.workingDir !== null) spec.WorkingDir = service.workingDir;
  if (service.hostname !== null) spec.Hostname = service.hostname;
  const healthcheck = healthcheckConfig(service);
  if (healthcheck) spec.Healthcheck = healthcheck;
  if (service.stopSignal !== null) spec.StopSignal = service.stopSignal;
  if (service.stopGracePeriodNs !== null) spec.StopTimeout = Math.trunc(service.stopGracePeriodNs / 1e9);
  if (networking.networkDisabled) spec.NetworkDisabled = true;
  if (networking.macAddress !== null) spec.MacAddress = networking.macAddress;
  if (service.platform !== null) spec.platform = service.platform;
  return spec;
}

/** User labels, then Compose's labels (so `docker compose ps/logs` work), then composelet's. */
export function containerLabels(project: Project, service: Service, number: number): Record<string, string> {
  return {
    ...service.labels,
    [COMPOSE_PROJECT]: project.name,
    [COMPOSE_SERVICE]: service.name,
    [COMPOSE_CONTAINER_NUMBER]: String(number),
    [COMPOSE_ONEOFF]: 'False',
    [COMPOSE_WORKING_DIR]: project.workingDir,
    [COMPOSE_CONFIG_FILES]: project.configFiles.join(','),
    [COMPOSE_CONFIG_HASH]: service.specHash,
    [COMPOSE_VERSION]: COMPOSE_VERSION_VALUE,
    [OWNED_BY_COMPOSELET]: 'true',
    [SPEC_HASH]: service.specHash,
    [LIMITS_HASH]: limitsHash(service),
  };
}

/** `expose:` entries and the container side of `ports:`, as "port/protocol". */
function exposedPorts(service: Service): Record<string, Record<string, never>> {
  const ports = new Set<string>(service.expose);
  for (const port of service.ports) ports.add(`${port.containerPort}/${port.protocol}`);
  return Object.fromEntries([...ports].sort().map((port) => [port, {}]));
}

/** A host port range goes as "6005-6015": the engine binds the first free port of it (as v2 sends it). */
function portBindings(service: Service): Record<string, Array<{ HostIp: string; HostPort: string }>> {
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const port of service.ports) {
    const key = `${port.containerPort}/${port.protocol}`;
    const hostPort =
      port.hostPort === null ? '' : port.hostPortEnd === undefined ? String(port.hostPort) : `${port.hostPort}-${port.hostPortEnd}`;
    (bindings[key] ??= []).push({ HostIp: port.hostIp, HostPort: hostPort });
  }
  return bindings;
}

/** Engine DeviceRequests (create.go getDeployResources / setReservations). */
function deviceRequests(service: Service): Array<Record<string, unknown>> {
  return service.deviceRequests.map((request) => ({
    Driver: request.driver ?? '',
    Count: request.count,
    DeviceIDs: [...request.deviceIds],
    Capabilities: [[...request.capabilities]],
    Options: { ...request.options },
  }));
}

/** Compose's `ToMobyHealthCheck`: an empty test keeps the image's test (and overrides its timings). */
function healthcheckConfig(service: Service): ContainerCreateSpec['Healthcheck'] {
  const check = service.healthcheck;
  if (check === null) return undefined;
  if (check.test[0] === 'NONE') return { Test: ['NONE'] };
  return {
    ...(check.test.length > 0 ? { Test: [...check.test] } : {}),
    ...(check.intervalNs !== null ? { Interval: check.intervalNs } : {}),
    ...(check.timeoutNs !== null ? { Timeout: check.timeoutNs } : {}),
    ...(check.retries !== null ? { Retries: check.retries } : {}),
    ...(check.startPeriodNs !== null ? { StartPeriod: check.startPeriodNs } : {}),
    ...(check.startIntervalNs !== null ? { StartInterval: check.startIntervalNs } : {}),
  };
}

interface HostConfigInputs {
  networkMode: string;
  links: string[];
  containerNameOf: (service: string) => string;
  anonymousVolumes: AnonymousVolumeNames;
}

function hostConfig(project: Project, service: Service, { networkMode, links, containerNameOf, anonymousVolumes }: HostConfigInputs): Record<string, unknown> {
  const filesystem = buildFilesystem(project, service, anonymousVolumes);
  const { limits } = service;
  const securityOpt = service.securityOpt.filter((option) => option !== 'systempaths=unconfined');
  const config: Record<string, unknown> = {
    NetworkMode: networkMode,
    PortBindings: portBindings(service),
    RestartPolicy: { Name: service.restart.name, MaximumRetryCount: service.restart.maximumRetryCount },
    ReadonlyRootfs: service.readOnly,
    Privileged: service.privileged,
  };
  const setWhen = (key: string, value: unknown, present: boolean) => {
    if (present) config[key] = value;
  };
  setWhen('Binds', filesystem.binds, filesystem.binds.length > 0);
  setWhen('Mounts', filesystem.mounts satisfies EngineMount[], filesystem.mounts.length > 0);
  setWhen('Tmpfs', filesystem.tmpfs, Object.keys(filesystem.tmpfs).length > 0);
  setWhen('Memory', limits.memoryBytes, limits.memoryBytes !== null);
  setWhen('MemoryReservation', limits.memoryReservationBytes, limits.memoryReservationBytes !== null);
  setWhen('MemorySwap', limits.memswapBytes, limits.memswapBytes !== null);
  setWhen('NanoCpus', limits.nanoCpus, limits.nanoCpus !== null);
  setWhen('CpuShares', limits.cpuShares, limits.cpuShares !== null);
  setWhen('PidsLimit', limits.pidsLimit, limits.pidsLimit !== null && limits.pidsLimit !== 0);
  setWhen('Init', service.init, service.init !== null);
  setWhen('CapAdd', service.capAdd, service.capAdd.length > 0);
  setWhen('CapDrop', service.capDrop, service.capDrop.length > 0);
  setWhen('SecurityOpt', securityOpt, securityOpt.length > 0);
  if (securityOpt.length !== service.securityOpt.length) {
    config['MaskedPaths'] = [];
    config['ReadonlyPaths'] = [];
  }
  const ulimits = Object.entries(service.ulimits).map(([name, limit]) => ({ Name: name, Soft: limit.soft, Hard: limit.hard }));
  setWhen('Ulimits', ulimits, ulimits.length > 0);
  setWhen('ExtraHosts', service.extraHosts, service.extraHosts.length > 0);
  setWhen('Dns', service.dns, service.dns.length > 0);
  setWhen('DnsSearch', service.dnsSearch, service.dnsSearch.length > 0);
  setWhen('DnsOptions', service.dnsOpt, service.dnsOpt.length > 0);
  setWhen('GroupAdd', service.groupAdd, service.groupAdd.length > 0);
  setWhen('PidMode', service.pid === null ? '' : resolveServiceReference(service.pid, containerNameOf), service.pid !== null);
  setWhen('IpcMode', service.ipc === null ? '' : resolveServiceReference(service.ipc, containerNameOf), service.ipc !== null);
  setWhen('Sysctls', service.sysctls, Object.keys(service.sysctls).length > 0);
  setWhen('ShmSize', service.shmSizeBytes, service.shmSizeBytes !== null);
  if (service.logging !== null) config['LogConfig'] = { Type: service.logging.driver ?? '', Config: { ...service.logging.options } };
  setWhen('Links', links, links.length > 0);
  setWhen('Runtime', service.runtime, service.runtime !== null);
  const devices = service.devices.map((device) => ({ PathOnHost: device.source, PathInContainer: device.target, CgroupPermissions: device.permissions }));
  setWhen('Devices', devices, devices.length > 0);
  setWhen('DeviceRequests', deviceRequests(service), service.deviceRequests.length > 0);
  setWhen('VolumesFrom', volumesFromOf(service, containerNameOf), service.volumesFrom.length > 0);
  return config;
}
