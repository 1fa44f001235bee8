import { z } from 'zod';
import { parseByteSize } from '../syntax/byte-size.js';
import { parseCpus } from '../syntax/cpus.js';
import { parseDuration } from '../syntax/duration.js';
import { parsePortLong, parsePortShort } from '../syntax/ports.js';
import { parseTmpfsEntry, parseVolumeShort } from '../syntax/volumes.js';
import { parseDevice } from '../syntax/devices.js';
import { parsePullPolicy } from '../syntax/pull-policy.js';
import { parseLink, parseVolumesFrom } from '../syntax/references.js';
import { serviceSettingsSchema } from './composelet-settings.js';
import { lifecycleHooks } from './lifecycle-hooks.js';
import { loggingSchema } from './logging.js';
import {
  booleanLike,
  byShape,
  composeObject,
  integerLike,
  keysOf,
  listOrDict,
  parsedWith,
  stringList,
  stringOrList,
  type KeyPolicy,
} from './building-blocks.js';

// The shape of one service in a compose file, as the Compose spec allows it, before normalization.
// Validation runs per file (override files may be partial), so nothing here is required except where the
// spec requires it inside a structure.

const duration = parsedWith(parseDuration, 'a duration such as "30s" or "1m30s"');
const byteSize = parsedWith(parseByteSize, 'a size such as "512m" or "2g"');
const cpus = parsedWith(parseCpus, 'a number of CPUs such as 0.5');

const command = byShape(
  { null: z.null(), string: z.string(), array: stringList },
  'a string or a list of strings',
);

const NEEDS_BUILDKIT = 'it needs BuildKit, and composelet builds with the engine\'s classic builder (POST /build)';
const NOT_SENT_TO_BUILD = 'the classic builder takes it, but composelet does not send it to the build yet';
const buildPolicy: KeyPolicy = {
  rejected: {
    entitlements: NEEDS_BUILDKIT,
    ssh: NEEDS_BUILDKIT,
    secrets: NEEDS_BUILDKIT,
    cache_to: NEEDS_BUILDKIT,
    additional_contexts: NEEDS_BUILDKIT,
    provenance: NEEDS_BUILDKIT,
    sbom: NEEDS_BUILDKIT,
    privileged: NEEDS_BUILDKIT,
    platforms: `building for several platforms ${NEEDS_BUILDKIT.slice(3)}`,
    cache_from: NOT_SENT_TO_BUILD,
    no_cache: NOT_SENT_TO_BUILD,
    pull: `${NOT_SENT_TO_BUILD} (no registry is reachable from the engines it was built for)`,
    network: NOT_SENT_TO_BUILD,
    shm_size: NOT_SENT_TO_BUILD,
    extra_hosts: NOT_SENT_TO_BUILD,
    ulimits: NOT_SENT_TO_BUILD,
    tags: 'composelet tags the image it builds once, as the service\'s image; add the other tags with docker tag',
    isolation: 'isolation modes exist for Windows containers only',
  },
};
const buildShape = {
  context: z.string(),
  dockerfile: z.string(),
  dockerfile_inline: z.string(),
  args: listOrDict,
  target: z.string(),
  labels: listOrDict,
};
const build = byShape(
  {
    string: z.string(),
    object: composeObject(buildShape, buildPolicy).superRefine((value, context) => {
      if (value.dockerfile !== undefined && value.dockerfile_inline !== undefined) {
        context.addIssue({ code: 'custom', path: ['dockerfile_inline'], message: 'dockerfile and dockerfile_inline are mutually exclusive: keep one' });
      }
    }),
  },
  'a context path or a map',
);

const portLongPolicy: KeyPolicy = {};
const portLongShape = {
  /** Metadata only: Compose sends neither to the engine. */
  name: z.string(),
  app_protocol: z.string(),
  target: byShape({ number: z.number().int(), string: z.string() }, 'a port number'),
  published: byShape({ number: z.number().int(), string: z.string(), null: z.null() }, 'a port number or range'),
  host_ip: z.string(),
  protocol: z.string(),
  mode: z.enum(['host', 'ingress']),
};
// mode: ingress is what `docker compose config` writes for every port (compose-go's default); on one
// engine it publishes the port as mode: host does, as docker compose does. Swarm reads it (swarm/mapping).
const portLong = composeObject(portLongShape, portLongPolicy, ['target']).superRefine((value, context) => {
    const result = parsePortLong(value as Parameters<typeof parsePortLong>[0]);
    if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
  });
const port = byShape(
  {
    number: z.number().superRefine((value, context) => {
      const result = parsePortShort(value);
      if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
    }),
    string: z.string().superRefine((value, context) => {
      const result = parsePortShort(value);
      if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
    }),
    object: portLong,
  },
  'a port such as "127.0.0.1:8080:80" or a map with target and published',
);

const volumeLongPolicy: KeyPolicy = { rejected: { image: 'image mounts need Engine API 1.47; composelet speaks API 1.41' } };
const bindPolicy: KeyPolicy = { rejected: { recursive: 'recursive read-only binds need Engine API 1.44; composelet speaks API 1.41' } };
const volumeOptionsPolicy: KeyPolicy = {
  rejected: { labels: 'labels for the volume a mount creates are not passed yet; declare the volume at the top level with labels' },
};
const bindShape = {
  propagation: z.enum(['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate']),
  create_host_path: booleanLike,
  selinux: z.enum(['z', 'Z']),
};
const volumeOptionsShape = { nocopy: booleanLike, subpath: z.string() };
const tmpfsOptionsShape = {
  size: byteSize,
  mode: byShape(
    { number: z.number().int(), string: z.string().regex(/^[0-7]+$/, 'expected an octal mode') },
    'an octal mode',
  ),
};
const volumeLongShape = {
  type: z.enum(['volume', 'bind', 'tmpfs', 'cluster', 'npipe', 'image']),
  source: z.string(),
  target: z.string(),
  read_only: booleanLike,
  consistency: z.string(),
  bind: composeObject(bindShape, bindPolicy),
  volume: composeObject(volumeOptionsShape, volumeOptionsPolicy),
  tmpfs: composeObject(tmpfsOptionsShape),
};
const volumeLong = composeObject(volumeLongShape, volumeLongPolicy, ['type', 'target']).superRefine((value, context) => {
    if (value.type === 'cluster' || value.type === 'npipe' || value.type === 'image') {
      context.addIssue({ code: 'custom', path: ['type'], message: `volume type "${value.type}" is not supported yet by composelet` });
    }
    if (!value.target.startsWith('/')) {
      context.addIssue({ code: 'custom', path: ['target'], message: `volume target "${value.target}" must be an absolute path` });
    }
    if (value.type === 'bind' && !value.source) {
      context.addIssue({ code: 'custom', path: ['source'], message: 'a bind mount needs a source path' });
    }
    if (value.type === 'tmpfs' && value.source) {
      context.addIssue({ code: 'custom', path: ['source'], message: 'a tmpfs mount takes no source' });
    }
  });
const volume = byShape(
  {
    string: z.string().superRefine((value, context) => {
      const result = parseVolumeShort(value, { workingDir: '/', homeDir: '/' });
      if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
    }),
    object: volumeLong,
  },
  'a volume such as "data:/var/lib/data" or a map with type, source and target',
);

const serviceNetworkPolicy: KeyPolicy = {
  rejected: {
    interface_name: 'naming the interface needs Engine API 1.49; composelet speaks API 1.41',
    gw_priority: 'gateway priority needs Engine API 1.48; composelet speaks API 1.41',
    link_local_ips: 'link-local addresses are not passed to the endpoint yet',
    driver_opts: 'endpoint driver options are not passed to the endpoint yet',
  },
};
const macAddress = z.string().superRefine((value, context) => {
  if (!/^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/.test(value)) {
    context.addIssue({ code: 'custom', message: `expected a MAC address such as "02:42:ac:11:00:02", got "${value}"` });
  }
});
const serviceNetworkShape = {
  aliases: stringList,
  ipv4_address: z.string(),
  ipv6_address: z.string(),
  priority: z.number(),
  mac_address: macAddress,
};
const networks = byShape(
  {
    array: stringList,
    object: z.record(
      z.string(),
      byShape(
        { null: z.null(), object: composeObject(serviceNetworkShape, serviceNetworkPolicy) },
        'null or a map with aliases, ipv4_address...',
      ),
    ),
  },
  'a list of network names or a map',
);

const dependencyShape = {
  condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']),
  restart: booleanLike,
  required: booleanLike,
};
const dependsOn = byShape(
  {
    array: stringList,
    object: z.record(z.string(), composeObject(dependencyShape, {}, ['condition'])),
  },
  'a list of service names or a map',
);

const healthcheckShape = {
  test: byShape({ string: z.string(), array: stringList }, 'a string or a list such as ["CMD", "..."]').superRefine(
    (value, context) => {
      if (Array.isArray(value) && value.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(value[0]!)) {
        context.addIssue({ code: 'custom', message: `a healthcheck test list must start with "CMD", "CMD-SHELL" or "NONE", not ${JSON.stringify(value[0])}` });
      }
    },
  ),
  interval: duration,
  timeout: duration,
  retries: integerLike,
  start_period: duration,
  start_interval: duration,
  disable: booleanLike,
};
const healthcheck = composeObject(healthcheckShape);

const deviceCount = byShape(
  { number: z.number().int().min(-1), string: z.string().regex(/^(all|\d+)$/i, 'expected "all" or a number') },
  '"all" or a number',
);
const deviceRequestShape = {
  capabilities: stringList,
  count: deviceCount,
  device_ids: stringList,
  driver: z.string(),
  options: listOrDict,
};
const deviceRequest = composeObject(deviceRequestShape);
const resourceLimitsShape = { cpus, memory: byteSize, pids: integerLike };
const resourceReservationsShape = {
  cpus,
  memory: byteSize,
  devices: z.array(
    composeObject(deviceRequestShape, {}, ['capabilities']).superRefine((value, context) => {
      if (value.count !== undefined && value.device_ids !== undefined) {
        context.addIssue({ code: 'custom', path: ['count'], message: 'count and device_ids are mutually exclusive: keep one' });
      }
    }),
  ),
};
const reservationsPolicy: KeyPolicy = {
  rejected: { generic_resources: 'generic resources are scheduled by Swarm only; a single engine has nothing to reserve them from' },
};
const resourcesShape = {
  limits: composeObject(resourceLimitsShape),
  reservations: composeObject(resourceReservationsShape, reservationsPolicy),
};
const restartPolicyShape = {
  condition: z.enum(['none', 'on-failure', 'any']),
  delay: duration,
  max_attempts: integerLike,
  window: duration,
};
const rolloutShape = {
  parallelism: integerLike,
  delay: duration,
  failure_action: z.enum(['pause', 'continue', 'rollback']),
  monitor: duration,
  max_failure_ratio: byShape(
    { number: z.number().min(0).max(1), string: z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'expected a ratio between 0 and 1') },
    'a ratio between 0 and 1',
  ),
  order: z.enum(['stop-first', 'start-first']),
};
const rollbackShape = { ...rolloutShape, failure_action: z.enum(['pause', 'continue']) };
const placementShape = {
  constraints: stringList,
  preferences: z.array(composeObject({ spread: z.string() })),
  max_replicas_per_node: integerLike,
};
const deployPolicy: KeyPolicy = {};
/** mode, endpoint_mode, labels and placement are Swarm's: accepted, with a warning that names them. */
const deployShape = {
  mode: z.enum(['replicated', 'global', 'replicated-job', 'global-job']),
  endpoint_mode: z.enum(['vip', 'dnsrr']),
  replicas: integerLike,
  labels: listOrDict,
  placement: composeObject(placementShape),
  resources: composeObject(resourcesShape),
  restart_policy: composeObject(restartPolicyShape),
  update_config: composeObject(rolloutShape),
  rollback_config: composeObject(rollbackShape),
};

const device = byShape(
  {
    string: z.string().superRefine((value, context) => {
      const result = parseDevice(value);
      if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
    }),
    object: composeObject({ source: z.string(), target: z.string(), permissions: z.string() }, {}, ['source']).superRefine((value, context) => {
      const result = parseDevice(value);
      if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
    }),
  },
  'a device such as "/dev/ttyUSB0:/dev/ttyUSB0:rwm" or a map with source, target and permissions',
);
const gpus = byShape(
  { string: z.literal('all'), array: z.array(deviceRequest) },
  '"all" or a list of device requests',
);
const refinedBy = <T>(parse: (input: string) => { ok: true; value: T } | { ok: false; error: string }) =>
  z.string().superRefine((value, context) => {
    const result = parse(value);
    if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
  });

const restart = z.string().superRefine((value, context) => {
  if (!/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(value)) {
    context.addIssue({
      code: 'custom',
      message: `invalid restart policy "${value}": use "no", "always", "unless-stopped" or "on-failure[:N]"`,
    });
  }
});

const ulimits = z.record(
  z.string().regex(/^[a-z]+$/, 'ulimit names are lower-case words such as "nofile"'),
  byShape(
    {
      number: z.number().int(),
      string: z.string().regex(/^-?\d+$/, 'expected an integer'),
      object: composeObject({ soft: integerLike, hard: integerLike }, {}, ['soft', 'hard']),
    },
    'an integer or a map with soft and hard',
  ),
);

const extraHosts = byShape(
  {
    array: stringList,
    object: z.record(z.string(), byShape({ string: z.string(), array: stringList }, 'an address or a list of addresses')),
  },
  'a list of "host:ip" strings or a map',
);

const logging = loggingSchema;

const fileReference = byShape(
  {
    string: z.string(),
    object: composeObject({
      source: z.string(),
      target: z.string(),
      uid: z.string(),
      gid: z.string(),
      mode: byShape({ number: z.number().int(), string: z.string().regex(/^0?[0-7]{3,4}$/, 'expected an octal mode such as "0440"') }, 'an octal mode'),
    }, {}, ['source']),
  },
  'a name or a map with source and target',
);

const envFile = byShape(
  {
    string: z.string(),
    array: z.array(
      byShape(
        { string: z.string(), object: composeObject({ path: z.string(), required: booleanLike, format: z.string() }, {}, ['path']) },
        'a path or a map with path and required',
      ),
    ),
  },
  'a path or a list of paths',
);

const extendsShape = byShape(
  { string: z.string(), object: composeObject({ service: z.string(), file: z.string() }, {}, ['service']) },
  'a service name or a map with service and file',
);

const exposeEntry = byShape(
  {
    number: z.number().int().min(1).max(65535),
    string: z.string().regex(/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/, 'expected a port such as "8080" or "8080/udp"'),
  },
  'a port',
);

const WINDOWS_ONLY = 'it applies to Windows containers only, and composelet runs Linux containers';
const NOT_IN_PLACE = 'composelet does not pass it to the engine yet: its limits are memory, cpus, cpu_shares and pids, updated in place';
export const servicePolicy: KeyPolicy = {
  rejected: {
    develop: 'it drives `docker compose watch` (syncing files while developing); composelet converges on the manifests instead',
    annotations: 'OCI annotations need Engine API 1.43; composelet speaks API 1.41',
    attach: 'composelet runs every service detached and never attaches to its output',
    blkio_config: 'block IO weights and throttles are not passed yet (and blkio weight is not enforced on cgroup v1 engines)',
    cgroup: 'the cgroup namespace mode is not passed yet; the engine\'s default applies',
    cgroup_parent: 'placing containers under another cgroup is not passed yet',
    cpu_count: WINDOWS_ONLY,
    cpu_percent: WINDOWS_ONLY,
    credential_spec: WINDOWS_ONLY,
    isolation: WINDOWS_ONLY,
    cpu_quota: `${NOT_IN_PLACE}; use cpus`,
    cpu_period: `${NOT_IN_PLACE}; use cpus`,
    cpu_rt_period: NOT_IN_PLACE,
    cpu_rt_runtime: NOT_IN_PLACE,
    cpuset: NOT_IN_PLACE,
    mem_swappiness: NOT_IN_PLACE,
    oom_kill_disable: NOT_IN_PLACE,
    oom_score_adj: NOT_IN_PLACE,
    device_cgroup_rules: 'raw cgroup device rules are not passed yet; use devices',
    domainname: 'the NIS domain name is not passed yet',
    label_file: 'labels are not read from files yet; write them under labels',
    provider: 'provider services are run by a Compose CLI plugin binary, which composelet cannot call',
    external_links: 'links to containers outside the project are not resolved; put the other container on a shared network instead',
    models: 'models need Docker Model Runner, which the engines composelet drives do not have',
    pull_refresh_after: 'Compose v2 ignores it (compose-go never reads it); write pull_policy: every_<duration> such as every_12h',
    storage_opt: 'per-container storage options are not passed yet (overlay2 accepts them only on xfs with project quotas)',
    use_api_socket: 'it mounts the engine socket and the user\'s registry credentials into the container; composelet hands out neither',
    userns_mode: 'the user namespace mode is not passed yet; the daemon\'s userns-remap setting applies',
    uts: 'the UTS namespace mode is not passed yet; set hostname instead',
  },
};

export const serviceShape = {
  image: z.string(),
  build,
  pull_policy: refinedBy(parsePullPolicy),
  platform: z.string().regex(/^[a-z0-9]+(\/[a-z0-9_]+(\/[a-z0-9]+)?)?$/, 'expected a platform such as "linux/amd64" or "linux/arm64/v8"'),
  runtime: z.string().min(1),
  links: z.array(refinedBy(parseLink)),
  devices: z.array(device),
  gpus,
  volumes_from: z.array(refinedBy(parseVolumesFrom)),
  mac_address: macAddress,
  command,
  entrypoint: command,
  environment: listOrDict,
  env_file: envFile,
  ports: z.array(port),
  expose: z.array(exposeEntry),
  volumes: z.array(volume),
  tmpfs: byShape({ string: z.string(), array: stringList }, 'a path or a list of paths').superRefine((value, context) => {
    for (const [index, entry] of (Array.isArray(value) ? value : [value]).entries()) {
      const result = parseTmpfsEntry(entry);
      if (!result.ok) context.addIssue({ code: 'custom', message: result.error, path: Array.isArray(value) ? [index] : [] });
    }
  }),
  networks,
  network_mode: z.string(),
  depends_on: dependsOn,
  healthcheck,
  restart,
  mem_limit: byteSize,
  mem_reservation: byteSize,
  memswap_limit: byShape({ number: z.number().int(), string: z.string() }, 'a size').superRefine((value, context) => {
    if (value === -1 || value === '-1') return;
    const result = parseByteSize(value as string | number);
    if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
  }),
  cpus,
  cpu_shares: integerLike,
  pids_limit: integerLike,
  deploy: composeObject(deployShape, deployPolicy),
  scale: integerLike,
  user: z.string(),
  working_dir: z.string(),
  labels: listOrDict,
  stop_signal: z.string(),
  stop_grace_period: duration,
  read_only: booleanLike,
  cap_add: stringList,
  cap_drop: stringList,
  security_opt: stringList,
  privileged: booleanLike,
  init: booleanLike,
  hostname: z.string(),
  extra_hosts: extraHosts,
  dns: stringOrList,
  dns_search: stringOrList,
  dns_opt: stringList,
  group_add: z.array(byShape({ string: z.string(), number: z.number().int() }, 'a group name or id')),
  ipc: z.string(),
  pid: z.union([z.string(), z.null()]),
  ulimits,
  sysctls: listOrDict,
  shm_size: byteSize,
  tty: booleanLike,
  stdin_open: booleanLike,
  logging,
  container_name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, 'a container name may hold letters, digits, "_", "." and "-"'),
  secrets: z.array(fileReference),
  configs: z.array(fileReference),
  profiles: stringList,
  post_start: lifecycleHooks,
  pre_stop: lifecycleHooks,
  extends: extendsShape,
  'x-composelet': serviceSettingsSchema,
};

export const serviceSchema = composeObject(serviceShape, servicePolicy);
export type RawService = z.infer<typeof serviceSchema>;

/** The supported and unsupported keys of each nested map, checked against the Compose spec by a test. */
export const serviceKeyContexts = {
  service: keysOf(serviceShape, servicePolicy),
  'service.build': keysOf(buildShape, buildPolicy),
  'service.ports': keysOf(portLongShape, portLongPolicy),
  'service.volumes': keysOf(volumeLongShape, volumeLongPolicy),
  'service.volumes.bind': keysOf(bindShape, bindPolicy),
  'service.volumes.volume': keysOf(volumeOptionsShape, volumeOptionsPolicy),
  'service.volumes.tmpfs': keysOf(tmpfsOptionsShape, {}),
  'service.networks': keysOf(serviceNetworkShape, serviceNetworkPolicy),
  'service.depends_on': keysOf(dependencyShape, {}),
  'service.healthcheck': keysOf(healthcheckShape, {}),
  'service.devices': keysOf({ source: z.string(), target: z.string(), permissions: z.string() }, {}),
  'service.gpus': keysOf(deviceRequestShape, {}),
  'service.deploy': keysOf(deployShape, deployPolicy),
  'service.deploy.resources': keysOf(resourcesShape, {}),
  'service.deploy.resources.limits': keysOf(resourceLimitsShape, {}),
  'service.deploy.resources.reservations': keysOf(resourceReservationsShape, reservationsPolicy),
  'service.deploy.resources.reservations.devices': keysOf(deviceRequestShape, {}),
  'service.deploy.restart_policy': keysOf(restartPolicyShape, {}),
  'service.deploy.update_config': keysOf(rolloutShape, {}),
  'service.deploy.rollback_config': keysOf(rollbackShape, {}),
  'service.deploy.placement': keysOf(placementShape, {}),
} as const;
