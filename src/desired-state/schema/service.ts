import { z } from 'zod';
import { parseByteSize } from '../syntax/byte-size.js';
import { parseCpus } from '../syntax/cpus.js';
import { parseDuration } from '../syntax/duration.js';
import { parsePortLong, parsePortShort } from '../syntax/ports.js';
import { parseTmpfsEntry, parseVolumeShort } from '../syntax/volumes.js';
import { serviceSettingsSchema } from './composelet-settings.js';
import { lifecycleHooks } from './lifecycle-hooks.js';
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

const buildPolicy: KeyPolicy = {
  unsupported: [
    'dockerfile_inline', 'entitlements', 'ssh', 'labels', 'cache_from', 'cache_to', 'no_cache',
    'additional_contexts', 'network', 'provenance', 'sbom', 'pull', 'shm_size', 'extra_hosts', 'isolation',
    'privileged', 'secrets', 'tags', 'ulimits', 'platforms',
  ],
};
const buildShape = {
  context: z.string(),
  dockerfile: z.string(),
  args: listOrDict,
  target: z.string(),
};
const build = byShape(
  { string: z.string(), object: composeObject(buildShape, buildPolicy) },
  'a context path or a map',
);

const portLongPolicy: KeyPolicy = { unsupported: ['name', 'app_protocol'] };
const portLongShape = {
  target: byShape({ number: z.number().int(), string: z.string() }, 'a port number'),
  published: byShape({ number: z.number().int(), string: z.string(), null: z.null() }, 'a port number or range'),
  host_ip: z.string(),
  protocol: z.string(),
  mode: z.enum(['host', 'ingress']),
};
const portLong = composeObject(portLongShape, portLongPolicy, ['target']).superRefine((value, context) => {
    if (value.mode === 'ingress') {
      context.addIssue({ code: 'custom', path: ['mode'], message: 'mode "ingress" is a Swarm feature; use "host"' });
      return;
    }
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

const volumeLongPolicy: KeyPolicy = { unsupported: ['image'] };
const bindPolicy: KeyPolicy = { unsupported: ['recursive'] };
const volumeOptionsPolicy: KeyPolicy = { unsupported: ['labels'] };
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
  unsupported: ['interface_name', 'link_local_ips', 'mac_address', 'driver_opts', 'gw_priority'],
};
const serviceNetworkShape = {
  aliases: stringList,
  ipv4_address: z.string(),
  ipv6_address: z.string(),
  priority: z.number(),
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

const resourceLimitsShape = { cpus, memory: byteSize, pids: integerLike };
const resourceReservationsShape = { cpus, memory: byteSize };
const reservationsPolicy: KeyPolicy = { unsupported: ['generic_resources', 'devices'] };
const resourcesShape = {
  limits: composeObject(resourceLimitsShape),
  reservations: composeObject(resourceReservationsShape, reservationsPolicy),
};
const deployPolicy: KeyPolicy = {
  unsupported: ['mode', 'endpoint_mode', 'labels', 'rollback_config', 'update_config', 'restart_policy', 'placement'],
  reason: 'Swarm settings; use the service-level key where there is one',
};
const deployShape = {
  replicas: integerLike,
  resources: composeObject(resourcesShape),
};

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

const logging = composeObject({
  driver: z.string(),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});

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

export const servicePolicy: KeyPolicy = {
  unsupported: [
    'develop', 'annotations', 'attach', 'blkio_config', 'cgroup', 'cgroup_parent', 'cpu_count', 'cpu_percent',
    'cpu_quota', 'cpu_period', 'cpu_rt_period', 'cpu_rt_runtime', 'cpuset', 'credential_spec',
    'device_cgroup_rules', 'devices', 'domainname', 'label_file', 'provider', 'external_links', 'gpus',
    'isolation', 'links', 'mac_address', 'mem_swappiness', 'models', 'oom_kill_disable', 'oom_score_adj',
    'platform', 'pull_refresh_after', 'runtime', 'storage_opt', 'use_api_socket',
    'userns_mode', 'uts', 'volumes_from',
  ],
};

export const serviceShape = {
  image: z.string(),
  build,
  pull_policy: z.enum(['always', 'never', 'missing', 'build', 'if_not_present']),
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
  'service.deploy': keysOf(deployShape, deployPolicy),
  'service.deploy.resources': keysOf(resourcesShape, {}),
  'service.deploy.resources.limits': keysOf(resourceLimitsShape, {}),
  'service.deploy.resources.reservations': keysOf(resourceReservationsShape, reservationsPolicy),
} as const;
