import type { SwarmDeploy } from '../swarm/model/swarm-deploy.js';

// The normalized, typed desired state: what the rest of composelet reads. Every field is in canonical
// form (ports split into parts, volumes typed, durations in nanoseconds, sizes in bytes, maps sorted),
// so two manifests that mean the same thing produce the same model and the same spec hash.

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface PortBinding {
  /** Host address to bind ('' means all interfaces, as the engine's HostIp). */
  hostIp: string;
  /** Host port; null when the engine picks one. */
  hostPort: number | null;
  containerPort: number;
  protocol: Protocol;
  /** Last port of a host port range ("6005-6015:80"): the engine picks a free host port from
   * hostPort..hostPortEnd. Absent for a single host port. */
  hostPortEnd?: number;
}

export type MountType = 'volume' | 'bind' | 'tmpfs';

export interface Mount {
  type: MountType;
  /** Volume name as written in the manifest (not yet prefixed with the project), absolute host path for
   * binds, null for anonymous volumes and tmpfs. */
  source: string | null;
  target: string;
  readOnly: boolean;
  /** bind: create the host path when missing (short syntax does, long syntax opts in). */
  createHostPath?: boolean;
  propagation?: string;
  selinux?: 'z' | 'Z';
  noCopy?: boolean;
  subpath?: string;
  tmpfsSizeBytes?: number;
  tmpfsMode?: number;
}

export interface ServiceNetwork {
  aliases: string[];
  ipv4Address: string | null;
  ipv6Address: string | null;
  priority: number;
  /** `mac_address` of the endpoint on this network. */
  macAddress: string | null;
}

export type DependencyCondition =
  | 'service_started'
  | 'service_healthy'
  | 'service_completed_successfully';

export interface Dependency {
  condition: DependencyCondition;
  restart: boolean;
  required: boolean;
}

export interface Healthcheck {
  /** Engine form: ['CMD', ...], ['CMD-SHELL', cmd] or ['NONE']. */
  test: string[];
  intervalNs: number | null;
  timeoutNs: number | null;
  retries: number | null;
  startPeriodNs: number | null;
  startIntervalNs: number | null;
}

export type RestartPolicyName = 'no' | 'always' | 'on-failure' | 'unless-stopped';

export interface RestartPolicy {
  name: RestartPolicyName;
  maximumRetryCount: number;
}

/** What the engine can change on a running container (`docker update`): not part of the spec hash. */
export interface Limits {
  memoryBytes: number | null;
  memoryReservationBytes: number | null;
  memswapBytes: number | null;
  nanoCpus: number | null;
  cpuShares: number | null;
  pidsLimit: number | null;
}

export interface BuildSpec {
  /** Absolute path of the build context. */
  context: string;
  /** Dockerfile path relative to the context. */
  dockerfile: string;
  args: Record<string, string | null>;
  target: string | null;
  /** Labels put on the built image (sorted by key); absent when none are written. */
  labels?: Record<string, string>;
  /** `dockerfile_inline`: the Dockerfile's text, sent inside the context under `dockerfile`; absent when
   * not written. */
  dockerfileInline?: string;
}

export interface Ulimit {
  soft: number;
  hard: number;
}

export interface Logging {
  driver: string | null;
  options: Record<string, string>;
}

export interface FileReference {
  /** Name of the top-level secret or config. */
  source: string;
  target: string;
  uid: string | null;
  gid: string | null;
  mode: number | null;
}

export interface HealingSettings {
  enabled: boolean;
  restartUnhealthy: boolean;
  unhealthyGracePeriodNs: number;
  backoff: { initialNs: number; maxNs: number; resetAfterNs: number };
}

/** A `post_start` or `pre_stop` hook: a command run inside the container (exec) after it starts or before it stops. */
export interface LifecycleHook {
  command: string[];
  user: string | null;
  privileged: boolean;
  workingDir: string | null;
  /** Sorted by key. */
  environment: Record<string, string>;
}

/** Keys (sorted) whose values came from `.env`, per field. Lifecycle hooks: keys of any hook's environment.
 * command, entrypoint: indices of the words that hold a `.env` variable's value. */
export interface DotenvProvenance {
  environment: string[];
  buildArgs: string[];
  labels: string[];
  hookEnvironment: string[];
  command: number[];
  entrypoint: number[];
}

export type PullPolicy = 'always' | 'never' | 'missing' | 'build' | 'if_not_present' | 'refresh';

/** `links:` entry: the linked service, and the name it is known by in the linking container. */
export interface ServiceLink {
  service: string;
  alias: string;
}

/** `devices:` entry: a host device made available in the container (engine DeviceMapping). */
export interface DeviceMapping {
  source: string;
  target: string;
  /** cgroup permissions, "rwm" by default. */
  permissions: string;
}

/** A device request (GPUs...): `deploy.resources.reservations.devices`, and CDI names from `devices:`. */
export interface DeviceRequest {
  driver: string | null;
  /** -1 means all devices (the default when neither count nor device ids are given). */
  count: number;
  deviceIds: string[];
  capabilities: string[];
  options: Record<string, string>;
}

/** `volumes_from:` entry: every volume of another service's (replica 1) or container's. */
export interface VolumesFrom {
  kind: 'service' | 'container';
  name: string;
  readOnly: boolean;
}

/** `deploy.update_config` / `deploy.rollback_config`: kept for rollouts; no effect yet. */
export interface RolloutConfig {
  parallelism: number | null;
  delayNs: number | null;
  failureAction: 'pause' | 'continue' | 'rollback' | null;
  monitorNs: number | null;
  maxFailureRatio: number | null;
  order: 'stop-first' | 'start-first' | null;
}

export interface Service {
  name: string;
  image: string | null;
  build: BuildSpec | null;
  pullPolicy: PullPolicy;
  /** pull_policy daily, weekly or every_<duration> (pullPolicy "refresh"): pull when the local image is
   * older than this. null otherwise. */
  pullRefreshPeriodNs: number | null;
  /** `platform:` ("linux/amd64"), sent with create and build. */
  platform: string | null;
  /** OCI runtime (`runtime:`), e.g. "runc". */
  runtime: string | null;
  command: string[] | null;
  entrypoint: string[] | null;
  /** Sorted by key. `environment: [FOO]` takes FOO from the environment composelet runs in (and .env);
   * when it is set nowhere the variable is left out, as Compose does. */
  environment: Record<string, string>;
  /** Environment keys whose values came from an env_file: treated as secret in every output. */
  environmentFromFiles: string[];
  /** Absolute paths of the env_files read (where the values came from; not part of the spec hash). */
  envFiles: string[];
  /** Which values were made from the project's `.env` (interpolated from one of its variables, or taken
   * from it by `environment: [FOO]`): secret in every output. Not part of the spec hash; absent: none. */
  fromDotenv?: DotenvProvenance;
  ports: PortBinding[];
  /** Canonical "port/protocol" entries, sorted. */
  expose: string[];
  volumes: Mount[];
  /** tmpfs mount targets from the `tmpfs:` key, with options as written ("/run:size=64m"). */
  tmpfs: string[];
  networks: Record<string, ServiceNetwork>;
  networkMode: string | null;
  /** Container-wide MAC address (`mac_address:`); per-network ones are in `networks`. */
  macAddress: string | null;
  /** `links:`, sorted by service then alias; each also adds a service_started depends_on, as in Compose. */
  links: ServiceLink[];
  devices: DeviceMapping[];
  deviceRequests: DeviceRequest[];
  /** `volumes_from:`, in the order written (later sources win on a shared path). */
  volumesFrom: VolumesFrom[];
  dependsOn: Record<string, Dependency>;
  /** null: none declared (the image's own healthcheck applies). `{ test: ['NONE'] }`: disabled. */
  healthcheck: Healthcheck | null;
  restart: RestartPolicy;
  limits: Limits;
  cpuReservationNanoCpus: number | null;
  replicas: number;
  /** `deploy.update_config` and `deploy.rollback_config`: parsed and kept for rollouts, no effect yet. */
  updateConfig: RolloutConfig | null;
  rollbackConfig: RolloutConfig | null;
  user: string | null;
  workingDir: string | null;
  labels: Record<string, string>;
  stopSignal: string | null;
  stopGracePeriodNs: number | null;
  readOnly: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  privileged: boolean;
  init: boolean | null;
  hostname: string | null;
  extraHosts: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOpt: string[];
  groupAdd: string[];
  /** `pid:` and `ipc:` modes ("host", "service:x", "container:x", "shareable"...). */
  pid: string | null;
  ipc: string | null;
  ulimits: Record<string, Ulimit>;
  sysctls: Record<string, string>;
  shmSizeBytes: number | null;
  tty: boolean;
  stdinOpen: boolean;
  logging: Logging | null;
  containerName: string | null;
  secrets: FileReference[];
  configs: FileReference[];
  profiles: string[];
  /** Lifecycle hooks, run by exec after the container starts and before it is stopped (not in the spec hash). */
  postStart: LifecycleHook[];
  preStop: LifecycleHook[];
  /** composelet's own per-service settings (`x-composelet`), as written; later issues give it shape. */
  composelet: Record<string, unknown>;
  /** How the controller heals it: service `x-composelet.healing` over the project's, over defaults. */
  healing: HealingSettings;
  /** The deploy keys only Swarm reads (mode, endpoint_mode, labels, placement, restart_policy as written);
   * absent when none is written. Not in the spec hash. */
  swarm?: SwarmDeploy;
  /** SHA-256 over everything whose change needs a new container. */
  specHash: string;
}

export interface Network {
  /** Key in the manifest. */
  key: string;
  /** Engine name: `name:` when given, else `<project>_<key>`. */
  name: string;
  external: boolean;
  driver: string | null;
  driverOpts: Record<string, string>;
  internal: boolean;
  attachable: boolean;
  enableIpv6: boolean;
  ipam: { driver: string | null; config: Array<Record<string, string>> } | null;
  labels: Record<string, string>;
}

export interface Volume {
  key: string;
  name: string;
  external: boolean;
  driver: string | null;
  driverOpts: Record<string, string>;
  labels: Record<string, string>;
}

export interface FileObject {
  key: string;
  name: string;
  /** Exactly one source is set. */
  file: string | null;
  environment: string | null;
  /** configs only: inline content. */
  content: string | null;
  /** What goes into the container for `environment` and `content` sources, resolved at load time (the
   * variable's value, or the inline content); null for file sources. Secret: never printed. */
  value: string | null;
}

export interface DependencyGraph {
  /** Topological levels: level 0 has no dependencies; every service's dependencies sit on lower levels. */
  levels: string[][];
  /** service -> services it depends on (sorted). */
  dependencies: Record<string, string[]>;
  /** service -> services that depend on it (sorted). */
  dependents: Record<string, string[]>;
}

export interface Project {
  name: string;
  /** Absolute directory the project's relative paths resolve against. */
  workingDir: string;
  /** Absolute paths of the compose files, in merge order. */
  configFiles: string[];
  /** Other files the model was read from (sorted): included compose files and their env files, files
   * named by `extends`. Their bytes are part of the manifest fingerprint. */
  referencedFiles: string[];
  services: Record<string, Service>;
  /** Services defined but left out by inactive profiles. */
  inactiveServices: string[];
  networks: Record<string, Network>;
  volumes: Record<string, Volume>;
  secrets: Record<string, FileObject>;
  configs: Record<string, FileObject>;
  graph: DependencyGraph;
  /** composelet's own project settings (`x-composelet`), as written. */
  composelet: Record<string, unknown>;
}

export interface DesiredState {
  /** Projects sorted by name. */
  projects: Project[];
}
