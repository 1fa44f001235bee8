import { inputExists, readInputText } from '../cache/recorded-reads.js';
import { isAbsolute, resolve } from 'node:path';
import { sortRecord } from '../canonical-json.js';
import { parseDotenv } from '../env/dotenv.js';
import { withoutQuotedText } from '../secrets/project-dotenv.js';
import type { VariableLookup } from '../env/interpolate.js';
import type {
  BuildSpec,
  Dependency,
  FileReference,
  Healthcheck,
  LifecycleHook,
  Limits,
  Mount,
  PortBinding,
  Service,
  ServiceLink,
  ServiceNetwork,
  Ulimit,
  VolumesFrom,
} from '../model.js';
import { normalizeSwarmDeploy, type SwarmDeploy } from '../../swarm/model/swarm-deploy.js';
import { normalizeRestart, normalizeRollout, warnSwarmOnlyKeys } from './normalize-deploy.js';
import { normalizeDeviceRequests, normalizeDevices } from './normalize-devices.js';
import { parsePullPolicy } from '../syntax/pull-policy.js';
import { parseLink, parseVolumesFrom } from '../syntax/references.js';
import { listOrDictToMap, toBoolean, toInteger } from '../schema/building-blocks.js';
import type { RawLogging } from '../schema/logging.js';
import type { RawService } from '../schema/service.js';
import { splitShellWords } from '../env/shell-words.js';
import { parseByteSize } from '../syntax/byte-size.js';
import { parseCpus } from '../syntax/cpus.js';
import { parseDuration } from '../syntax/duration.js';
import { parsePortLong, parsePortShort } from '../syntax/ports.js';
import { parseVolumeShort } from '../syntax/volumes.js';
import { specHash } from '../spec-hash.js';
import { normalizeHealing, type RawHealing } from './normalize-healing.js';

// One validated (and merged) service turned into its canonical model. Shapes were checked by the schema,
// so the parsers here succeed; what can still fail (a missing env_file, conflicting keys) is reported
// through `report` with the path in the manifest.

export interface NormalizeContext {
  /** The project's `x-composelet.healing`, under each service's own. */
  projectHealing?: RawHealing | undefined;
  /** The project's `x-composelet.logging`: the logging of each service that sets none. */
  projectLogging?: RawLogging | undefined;
  workingDir: string;
  homeDir: string;
  lookup: VariableLookup;
  report: (path: Array<string | number>, message: string) => void;
  /** Accepted, but worth saying (Swarm-only keys, settings with no effect yet). */
  warn?: (path: Array<string | number>, message: string, options?: { oneHostOnly?: boolean }) => void;
  /** An env_file's text, decrypted when it is age or SOPS (secrets/secret-sources.ts); default: as read. */
  readEnvFile?: (file: string) => { ok: true; text: string; secret: boolean } | { ok: false; message: string };
}

type Raw = RawService;

export function normalizeService(name: string, raw: Raw, context: NormalizeContext): Service {
  const at = (...path: Array<string | number>) => ['services', name, ...path];
  const deployContext = { report: context.report, warn: context.warn ?? (() => undefined), at };
  const { environment, environmentFromFiles, envFiles } = normalizeEnvironment(raw, context, at);
  const pull = raw.pull_policy === undefined ? null : parsePullPolicy(raw.pull_policy);
  const { devices, cdiNames } = normalizeDevices(raw);
  const links = normalizeLinks(raw.links);
  const volumesFrom = (raw.volumes_from ?? []).flatMap((entry) => {
    const result = parseVolumesFrom(entry);
    return result.ok ? [result.value] : [];
  });
  const networks = normalizeNetworks(raw);
  checkMacAddresses(raw.mac_address ?? null, networks, context, at);
  warnSwarmOnlyKeys(raw, deployContext);
  const limits = normalizeLimits(raw, context, at);
  const replicas = normalizeReplicas(raw, context, at);
  if (raw.container_name && replicas > 1) {
    context.report(at('container_name'), `container_name "${raw.container_name}" cannot be used with ${replicas} replicas: names must be unique`);
  }
  const service: Omit<Service, 'specHash'> = {
    name,
    image: raw.image ?? null,
    build: normalizeBuild(raw.build, context.workingDir),
    pullPolicy: pull?.ok ? pull.value.policy : 'missing',
    pullRefreshPeriodNs: pull?.ok ? pull.value.refreshPeriodNs : null,
    platform: raw.platform ?? null,
    runtime: raw.runtime ?? null,
    command: normalizeCommand(raw.command, context, at('command')),
    entrypoint: normalizeCommand(raw.entrypoint, context, at('entrypoint')),
    environment,
    environmentFromFiles,
    envFiles,
    ports: normalizePorts(raw.ports ?? []),
    expose: normalizeExpose(raw.expose ?? []),
    volumes: normalizeVolumes(raw.volumes ?? [], context),
    tmpfs: [...new Set(typeof raw.tmpfs === 'string' ? [raw.tmpfs] : (raw.tmpfs ?? []))].sort(),
    networks,
    networkMode: raw.network_mode ?? null,
    macAddress: raw.mac_address ?? null,
    links,
    devices,
    deviceRequests: normalizeDeviceRequests(raw, cdiNames),
    volumesFrom,
    dependsOn: addImpliedDependencies(normalizeDependsOn(raw.depends_on), links, volumesFrom),
    healthcheck: normalizeHealthcheck(raw.healthcheck),
    restart: normalizeRestart(raw, deployContext),
    limits,
    cpuReservationNanoCpus: parsedOrNull(parseCpus, raw.deploy?.resources?.reservations?.cpus),
    replicas,
    updateConfig: normalizeRollout('update_config', raw.deploy?.update_config, deployContext),
    rollbackConfig: normalizeRollout('rollback_config', raw.deploy?.rollback_config, deployContext),
    user: raw.user ?? null,
    workingDir: raw.working_dir ?? null,
    labels: sortRecord(mapValuesToStrings(listOrDictToMap(raw.labels))),
    stopSignal: raw.stop_signal ?? null,
    stopGracePeriodNs: parsedOrNull(parseDuration, raw.stop_grace_period),
    readOnly: toBoolean(raw.read_only) ?? false,
    capAdd: sortedUnique(raw.cap_add),
    capDrop: sortedUnique(raw.cap_drop),
    securityOpt: sortedUnique(raw.security_opt),
    privileged: toBoolean(raw.privileged) ?? false,
    init: toBoolean(raw.init) ?? null,
    hostname: raw.hostname ?? null,
    extraHosts: normalizeExtraHosts(raw.extra_hosts),
    dns: listOf(raw.dns),
    dnsSearch: listOf(raw.dns_search),
    dnsOpt: raw.dns_opt ?? [],
    groupAdd: (raw.group_add ?? []).map(String),
    pid: raw.pid ?? null,
    ipc: raw.ipc ?? null,
    ulimits: normalizeUlimits(raw.ulimits),
    sysctls: sortRecord(mapValuesToStrings(listOrDictToMap(raw.sysctls))),
    shmSizeBytes: parsedOrNull(parseByteSize, raw.shm_size),
    tty: toBoolean(raw.tty) ?? false,
    stdinOpen: toBoolean(raw.stdin_open) ?? false,
    logging: normalizeLogging(raw.logging ?? context.projectLogging),
    containerName: raw.container_name ?? null,
    secrets: normalizeFileReferences(raw.secrets, (source) => `/run/secrets/${source}`, '/run/secrets'),
    configs: normalizeFileReferences(raw.configs, (source) => `/${source}`, '/'),
    profiles: sortedUnique(raw.profiles),
    postStart: normalizeHooks(raw.post_start, context, at('post_start')),
    preStop: normalizeHooks(raw.pre_stop, context, at('pre_stop')),
    composelet: raw['x-composelet'] ?? {},
    healing: normalizeHealing(context.projectHealing, raw['x-composelet']?.healing),
    ...withSwarmDeploy(normalizeSwarmDeploy(raw)),
  };
  return { ...service, specHash: specHash(service) };
}

function parsedOrNull(
  parse: (input: string | number) => { ok: true; value: number } | { ok: false; error: string },
  input: string | number | undefined | null,
): number | null {
  if (input === undefined || input === null) return null;
  const result = parse(input);
  return result.ok ? result.value : null;
}

function sortedUnique(values: readonly string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort();
}

function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function mapValuesToStrings(map: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, value ?? '']));
}

/** Where an inline Dockerfile goes in the build context (as the docker CLI adds one sent on stdin). */
export const INLINE_DOCKERFILE_NAME = '.composelet.dockerfile-inline';

function normalizeBuild(build: Raw['build'], workingDir: string): BuildSpec | null {
  if (build === undefined) return null;
  const spec = typeof build === 'string' ? { context: build } : build;
  const context = resolve(workingDir, spec.context ?? '.');
  const normalized: BuildSpec = {
    context,
    dockerfile: spec.dockerfile_inline !== undefined ? INLINE_DOCKERFILE_NAME : (spec.dockerfile ?? 'Dockerfile'),
    args: sortRecord(listOrDictToMap(spec.args)),
    target: spec.target ?? null,
  };
  // Set only when written, so a build without them keeps its spec hash.
  const labels = sortRecord(mapValuesToStrings(listOrDictToMap(spec.labels)));
  if (Object.keys(labels).length > 0) normalized.labels = labels;
  if (spec.dockerfile_inline !== undefined) normalized.dockerfileInline = spec.dockerfile_inline;
  return normalized;
}

function normalizeLinks(links: Raw['links']): ServiceLink[] {
  const parsed = new Map<string, ServiceLink>();
  for (const entry of links ?? []) {
    const result = parseLink(entry);
    if (result.ok) parsed.set(`${result.value.service}:${result.value.alias}`, result.value);
  }
  return [...parsed.values()].sort((left, right) => left.service.localeCompare(right.service) || left.alias.localeCompare(right.alias));
}

/**
 * compose-go's normalization: each linked service, and each service whose volumes are borrowed, is a
 * dependency (service_started) unless depends_on already names it; links also restart with it.
 */
function addImpliedDependencies(
  dependsOn: Record<string, Dependency>,
  links: readonly ServiceLink[],
  volumesFrom: readonly VolumesFrom[],
): Record<string, Dependency> {
  const result = { ...dependsOn };
  for (const link of links) result[link.service] ??= { condition: 'service_started', restart: true, required: true };
  for (const source of volumesFrom) {
    if (source.kind === 'service') result[source.name] ??= { condition: 'service_started', restart: false, required: true };
  }
  return sortRecord(result);
}

/** Compose v2 (prepareContainerMACAddress): the service's mac_address is the primary network's. */
function checkMacAddresses(
  macAddress: string | null,
  networks: Record<string, ServiceNetwork>,
  context: NormalizeContext,
  at: (...path: Array<string | number>) => Array<string | number>,
): void {
  if (macAddress === null) return;
  const primary = Object.entries(networks).sort(
    ([leftKey, left], [rightKey, right]) => right.priority - left.priority || (leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0),
  )[0];
  if (primary && primary[1].macAddress !== null && primary[1].macAddress.toLowerCase() !== macAddress.toLowerCase()) {
    context.report(at('mac_address'), `mac_address must be the same as networks.${primary[0]}.mac_address (the primary network), or be left out`);
  }
}

function normalizeCommand(
  command: Raw['command'],
  context: NormalizeContext,
  path: Array<string | number>,
): string[] | null {
  if (command === undefined || command === null) return null;
  if (Array.isArray(command)) return [...command];
  const split = splitShellWords(command);
  if (!split.ok) {
    context.report(path, split.error);
    return null;
  }
  return split.words;
}

/** `post_start` / `pre_stop`: commands split like `command`, environment resolved and sorted like the service's. */
function normalizeHooks(
  hooks: Raw['post_start'],
  context: NormalizeContext,
  path: Array<string | number>,
): LifecycleHook[] {
  return (hooks ?? []).map((hook, index) => {
    const environment = Object.entries(listOrDictToMap(hook.environment))
      .map(([key, value]) => [key, value ?? context.lookup(key)] as const)
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
    return {
      command: normalizeCommand(hook.command, context, [...path, index, 'command']) ?? [],
      user: hook.user ?? null,
      privileged: toBoolean(hook.privileged) ?? false,
      workingDir: hook.working_dir ?? null,
      environment: sortRecord(Object.fromEntries(environment)),
    };
  });
}

function normalizeEnvironment(
  raw: Raw,
  context: NormalizeContext,
  at: (...path: Array<string | number>) => Array<string | number>,
): { environment: Record<string, string>; environmentFromFiles: string[]; envFiles: string[] } {
  const values = new Map<string, string>();
  const envFiles: string[] = [];
  const fromFiles = new Set<string>();
  const entries = raw.env_file === undefined ? [] : typeof raw.env_file === 'string' ? [raw.env_file] : raw.env_file;
  entries.forEach((entry, index) => {
    const path = typeof entry === 'string' ? entry : entry.path;
    const required = typeof entry === 'string' ? true : (toBoolean(entry.required) ?? true);
    const file = isAbsolute(path) ? path : resolve(context.workingDir, path);
    const where = typeof raw.env_file === 'string' ? at('env_file') : at('env_file', index);
    envFiles.push(file);
    if (!inputExists(file)) {
      if (required) context.report(where, `env_file ${file} does not exist (mark it "required: false" if it is optional)`);
      return;
    }
    const read = context.readEnvFile ? context.readEnvFile(file) : { ok: true as const, text: readInputText(file), secret: false };
    if (!read.ok) {
      context.report(where, read.message);
      return;
    }
    const parsed = parseDotenv(read.text, { lookup: context.lookup });
    for (const problem of parsed.errors) {
      context.report(where, `${file}:${problem.line}:${problem.column}: ${read.secret ? withoutQuotedText(problem.message) : problem.message}`);
    }
    for (const [key, value] of parsed.values) {
      const resolved = value ?? context.lookup(key);
      if (resolved === undefined) continue;
      values.set(key, resolved);
      fromFiles.add(key);
    }
  });
  for (const [key, value] of Object.entries(listOrDictToMap(raw.environment))) {
    const resolved = value ?? context.lookup(key);
    fromFiles.delete(key);
    if (resolved === undefined) values.delete(key);
    else values.set(key, resolved);
  }
  return {
    environment: sortRecord(Object.fromEntries(values)),
    environmentFromFiles: [...fromFiles].filter((key) => values.has(key)).sort(),
    envFiles,
  };
}

function comparePorts(left: PortBinding, right: PortBinding): number {
  return (
    left.containerPort - right.containerPort ||
    left.protocol.localeCompare(right.protocol) ||
    left.hostIp.localeCompare(right.hostIp) ||
    (left.hostPort ?? 0) - (right.hostPort ?? 0)
  );
}

function normalizePorts(ports: NonNullable<Raw['ports']>): PortBinding[] {
  const bindings: PortBinding[] = [];
  for (const port of ports) {
    const result = typeof port === 'object' ? parsePortLong(port as Parameters<typeof parsePortLong>[0]) : parsePortShort(port);
    if (result.ok) bindings.push(...result.value);
  }
  const unique = new Map(bindings.map((binding) => [JSON.stringify(binding), binding]));
  return [...unique.values()].sort(comparePorts);
}

function normalizeExpose(expose: NonNullable<Raw['expose']>): string[] {
  const entries = new Set<string>();
  for (const entry of expose) {
    const [range = '', protocol = 'tcp'] = String(entry).split('/');
    const [start = '0', end = start] = range.split('-');
    for (let port = Number(start); port <= Number(end); port += 1) entries.add(`${port}/${protocol}`);
  }
  return [...entries].sort((left, right) => Number.parseInt(left, 10) - Number.parseInt(right, 10) || left.localeCompare(right));
}

function normalizeVolumes(volumes: NonNullable<Raw['volumes']>, context: NormalizeContext): Mount[] {
  const mounts: Mount[] = [];
  for (const volume of volumes) {
    if (typeof volume === 'string') {
      const result = parseVolumeShort(volume, { workingDir: context.workingDir, homeDir: context.homeDir });
      if (result.ok) mounts.push(result.value);
      continue;
    }
    const type = volume.type as Mount['type'];
    const mount: Mount = {
      type,
      source: type === 'tmpfs' ? null : type === 'bind' ? expandHostPath(volume.source!, context) : (volume.source ?? null),
      target: volume.target.replace(/(.)\/+$/, '$1'),
      readOnly: toBoolean(volume.read_only) ?? false,
    };
    if (type === 'bind') {
      mount.createHostPath = toBoolean(volume.bind?.create_host_path) ?? false;
      if (volume.bind?.propagation) mount.propagation = volume.bind.propagation;
      if (volume.bind?.selinux) mount.selinux = volume.bind.selinux;
    }
    if (type === 'volume') {
      if (toBoolean(volume.volume?.nocopy)) mount.noCopy = true;
      if (volume.volume?.subpath) mount.subpath = volume.volume.subpath;
    }
    if (type === 'tmpfs' && volume.tmpfs) {
      const size = parsedOrNull(parseByteSize, volume.tmpfs.size);
      if (size !== null) mount.tmpfsSizeBytes = size;
      if (volume.tmpfs.mode !== undefined) {
        mount.tmpfsMode = typeof volume.tmpfs.mode === 'number' ? volume.tmpfs.mode : Number.parseInt(volume.tmpfs.mode, 8);
      }
    }
    mounts.push(mount);
  }
  return mounts.sort((left, right) => left.target.localeCompare(right.target));
}

function expandHostPath(path: string, context: NormalizeContext): string {
  if (path === '~' || path.startsWith('~/')) return resolve(context.homeDir, path.slice(2));
  return resolve(context.workingDir, path);
}

function normalizeNetworks(raw: Raw): Record<string, ServiceNetwork> {
  if (raw.network_mode !== undefined) return {};
  const entries: Array<[string, ServiceNetwork]> = [];
  const empty = (): ServiceNetwork => ({ aliases: [], ipv4Address: null, ipv6Address: null, priority: 0, macAddress: null });
  if (raw.networks === undefined) entries.push(['default', empty()]);
  else if (Array.isArray(raw.networks)) for (const network of raw.networks) entries.push([network, empty()]);
  else {
    for (const [network, settings] of Object.entries(raw.networks)) {
      entries.push([
        network,
        {
          aliases: sortedUnique(settings?.aliases),
          ipv4Address: settings?.ipv4_address ?? null,
          ipv6Address: settings?.ipv6_address ?? null,
          priority: settings?.priority ?? 0,
          macAddress: settings?.mac_address ?? null,
        },
      ]);
    }
  }
  return sortRecord(Object.fromEntries(entries));
}

function normalizeDependsOn(dependsOn: Raw['depends_on']): Record<string, Dependency> {
  if (dependsOn === undefined) return {};
  if (Array.isArray(dependsOn)) {
    return sortRecord(
      Object.fromEntries(dependsOn.map((name) => [name, { condition: 'service_started', restart: false, required: true }])),
    );
  }
  return sortRecord(
    Object.fromEntries(
      Object.entries(dependsOn).map(([name, dependency]) => [
        name,
        {
          condition: dependency.condition,
          restart: toBoolean(dependency.restart) ?? false,
          required: toBoolean(dependency.required) ?? true,
        },
      ]),
    ),
  );
}

function normalizeHealthcheck(healthcheck: Raw['healthcheck']): Healthcheck | null {
  if (healthcheck === undefined) return null;
  const disabled: Healthcheck = {
    test: ['NONE'],
    intervalNs: null,
    timeoutNs: null,
    retries: null,
    startPeriodNs: null,
    startIntervalNs: null,
  };
  if (toBoolean(healthcheck.disable)) return disabled;
  const test =
    healthcheck.test === undefined ? [] : typeof healthcheck.test === 'string' ? ['CMD-SHELL', healthcheck.test] : [...healthcheck.test];
  if (test[0] === 'NONE') return disabled;
  return {
    test,
    intervalNs: parsedOrNull(parseDuration, healthcheck.interval),
    timeoutNs: parsedOrNull(parseDuration, healthcheck.timeout),
    retries: toInteger(healthcheck.retries) ?? null,
    startPeriodNs: parsedOrNull(parseDuration, healthcheck.start_period),
    startIntervalNs: parsedOrNull(parseDuration, healthcheck.start_interval),
  };
}

function normalizeLimits(
  raw: Raw,
  context: NormalizeContext,
  at: (...path: Array<string | number>) => Array<string | number>,
): Limits {
  const deployLimits = raw.deploy?.resources?.limits;
  const reservations = raw.deploy?.resources?.reservations;
  const pick = (
    serviceKey: string,
    serviceValue: number | null,
    deployPath: string[],
    deployValue: number | null,
  ): number | null => {
    if (serviceValue !== null && deployValue !== null && serviceValue !== deployValue) {
      context.report(at(serviceKey), `${serviceKey} and deploy.${deployPath.join('.')} disagree; keep one of them`);
    }
    return deployValue ?? serviceValue;
  };
  const memswap = raw.memswap_limit;
  return {
    memoryBytes: pick('mem_limit', parsedOrNull(parseByteSize, raw.mem_limit), ['resources', 'limits', 'memory'], parsedOrNull(parseByteSize, deployLimits?.memory)),
    memoryReservationBytes: pick(
      'mem_reservation',
      parsedOrNull(parseByteSize, raw.mem_reservation),
      ['resources', 'reservations', 'memory'],
      parsedOrNull(parseByteSize, reservations?.memory),
    ),
    memswapBytes: memswap === -1 || memswap === '-1' ? -1 : parsedOrNull(parseByteSize, memswap),
    nanoCpus: pick('cpus', parsedOrNull(parseCpus, raw.cpus), ['resources', 'limits', 'cpus'], parsedOrNull(parseCpus, deployLimits?.cpus)),
    cpuShares: toInteger(raw.cpu_shares) ?? null,
    pidsLimit: pick('pids_limit', toInteger(raw.pids_limit) ?? null, ['resources', 'limits', 'pids'], toInteger(deployLimits?.pids) ?? null),
  };
}

function normalizeReplicas(
  raw: Raw,
  context: NormalizeContext,
  at: (...path: Array<string | number>) => Array<string | number>,
): number {
  const scale = toInteger(raw.scale);
  const replicas = toInteger(raw.deploy?.replicas);
  if (scale !== undefined && replicas !== undefined && scale !== replicas) {
    context.report(at('scale'), `scale (${scale}) and deploy.replicas (${replicas}) disagree; keep one of them`);
  }
  const count = replicas ?? scale ?? 1;
  if (count < 0) context.report(at(replicas !== undefined ? 'deploy' : 'scale'), `the number of replicas cannot be negative (${count})`);
  return Math.max(0, count);
}

function normalizeExtraHosts(extraHosts: Raw['extra_hosts']): string[] {
  if (extraHosts === undefined) return [];
  const entries: string[] = [];
  if (Array.isArray(extraHosts)) {
    for (const entry of extraHosts) {
      const separator = entry.includes('=') ? entry.indexOf('=') : entry.indexOf(':');
      const host = entry.slice(0, separator);
      const address = entry.slice(separator + 1).replace(/^\[(.*)\]$/, '$1');
      entries.push(`${host}:${address}`);
    }
  } else {
    for (const [host, addresses] of Object.entries(extraHosts)) {
      for (const address of typeof addresses === 'string' ? [addresses] : addresses) entries.push(`${host}:${address}`);
    }
  }
  return [...new Set(entries)].sort();
}

function normalizeUlimits(ulimits: Raw['ulimits']): Record<string, Ulimit> {
  const result: Record<string, Ulimit> = {};
  for (const [name, value] of Object.entries(ulimits ?? {})) {
    if (typeof value === 'object') result[name] = { soft: toInteger(value.soft)!, hard: toInteger(value.hard)! };
    else {
      const limit = toInteger(value)!;
      result[name] = { soft: limit, hard: limit };
    }
  }
  return sortRecord(result);
}

function normalizeFileReferences(
  references: Raw['secrets'],
  defaultTarget: (source: string) => string,
  relativeBase: string,
): FileReference[] {
  return (references ?? [])
    .map((reference): FileReference => {
      if (typeof reference === 'string') {
        return { source: reference, target: defaultTarget(reference), uid: null, gid: null, mode: null };
      }
      const target = reference.target
        ? reference.target.startsWith('/')
          ? reference.target
          : `${relativeBase.replace(/\/$/, '')}/${reference.target}`
        : defaultTarget(reference.source);
      const mode =
        reference.mode === undefined ? null : typeof reference.mode === 'number' ? reference.mode : Number.parseInt(reference.mode, 8);
      return { source: reference.source, target, uid: reference.uid ?? null, gid: reference.gid ?? null, mode };
    })
    .sort((left, right) => left.target.localeCompare(right.target));
}

/** A service's own `logging`, or else the project default: the whole section, never merged key by key
 * (another driver's options mean nothing to this one). */
function normalizeLogging(raw: RawLogging | undefined): Service['logging'] {
  if (!raw) return null;
  return {
    driver: raw.driver ?? null,
    options: sortRecord(
      Object.fromEntries(
        Object.entries(raw.options ?? {})
          .filter(([, value]) => value !== null)
          .map(([key, value]) => [key, String(value)]),
      ),
    ),
  };
}

function withSwarmDeploy(swarm: SwarmDeploy | undefined): { swarm?: SwarmDeploy } {
  return swarm === undefined ? {} : { swarm };
}
