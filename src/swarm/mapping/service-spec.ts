import { canonicalJson, sha256Hex } from '../../desired-state/canonical-json.js';
import type { FileReference, Mount, Project, RolloutConfig, Service } from '../../desired-state/model.js';
import { isOneShot } from '../../reconciler/one-shot.js';
import { COMPOSE_SERVICE, ownedLabels, SPEC_HASH } from '../model/swarm-labels.js';
import { serviceName } from '../model/swarm-names.js';
import type { ServiceSpec, SwarmFileReference, SwarmMount, SwarmRolloutConfig } from './swarm-types.js';

// A compose service as a Swarm ServiceSpec: the same model a single engine gets, with the deploy keys passed
// to Swarm as they are (replicas, placement, resources, update_config, rollback_config, restart_policy).
// A one-shot becomes a replicated-job that runs its replicas to completion once: deploy.restart_policy condition
// none, deploy.mode replicated-job, or a service another waits for with service_completed_successfully. Any
// other service without a restart policy is restarted by Swarm (condition any), as `docker stack deploy` does. The spec hash label is the SHA-256 of the spec without it: a different one means update.

export type SpecProject = Pick<Project, 'name' | 'networks' | 'volumes' | 'services'>;

export interface SpecContext {
  /** `secrets/<key>` and `configs/<key>` -> the Swarm object's name (content-versioned). */
  fileObjectNames: Readonly<Record<string, string>>;
}

export function toServiceSpec(project: SpecProject, service: Service, context: SpecContext): ServiceSpec {
  const job = isSwarmJob(service, project);
  const spec: ServiceSpec = {
    Name: serviceName(project.name, service.name),
    Labels: { ...(service.swarm?.labels ?? {}), ...ownedLabels(project.name), [COMPOSE_SERVICE]: service.name },
    TaskTemplate: {
      ContainerSpec: containerSpec(project, service, context),
      ...defined('Resources', resources(service)),
      RestartPolicy: restartPolicy(service, job),
      ...defined('Placement', placement(service)),
      Networks: Object.entries(service.networks).map(([key, network]) => ({
        Target: project.networks[key]?.name ?? `${project.name}_${key}`,
        Aliases: [...new Set([service.name, ...network.aliases])],
      })),
      ...defined('LogDriver', service.logging?.driver ? { Name: service.logging.driver, ...(Object.keys(service.logging.options).length > 0 ? { Options: service.logging.options } : {}) } : undefined),
    },
    Mode: mode(service, job),
    ...(job ? {} : defined('UpdateConfig', rollout(service.updateConfig))),
    ...(job ? {} : defined('RollbackConfig', rollout(service.rollbackConfig))),
    ...defined('EndpointSpec', endpoint(service)),
  };
  return withSpecHash(spec);
}

/** The spec with its hash label: SHA-256 of the canonical spec without the label. */
export function withSpecHash(spec: ServiceSpec): ServiceSpec {
  const { [SPEC_HASH]: _ignored, ...labels } = spec.Labels;
  const unlabelled = { ...spec, Labels: labels };
  return { ...unlabelled, Labels: { ...labels, [SPEC_HASH]: sha256Hex(canonicalJson(unlabelled)) } };
}

/** Swarm runs it as a job (to completion, once): deploy.mode replicated-job / global-job, restart_policy
 * condition none, or a one-shot (restart "no") another service waits for with service_completed_successfully. */
export function isSwarmJob(service: Service, project: Pick<Project, 'services'>): boolean {
  const mode = service.swarm?.mode;
  if (mode === 'replicated-job' || mode === 'global-job') return true;
  if (mode === 'replicated' || mode === 'global') return false;
  const condition = service.swarm?.restartPolicy?.condition;
  if (condition !== undefined && condition !== null) return condition === 'none';
  const awaitedToComplete = Object.values(project.services).some(
    (other) => other.dependsOn[service.name]?.condition === 'service_completed_successfully',
  );
  return awaitedToComplete && isOneShot(service) && service.restart.name === 'no';
}

function containerSpec(project: SpecProject, service: Service, context: SpecContext): ServiceSpec['TaskTemplate']['ContainerSpec'] {
  const healthcheck = service.healthcheck;
  return {
    Image: service.image ?? `${project.name}-${service.name}`,
    Labels: { ...service.labels, ...ownedLabels(project.name), [COMPOSE_SERVICE]: service.name },
    ...defined('Command', service.entrypoint ?? undefined),
    ...defined('Args', service.command ?? undefined),
    ...defined('Hostname', service.hostname ?? undefined),
    ...nonEmpty('Env', Object.entries(service.environment).map(([key, value]) => `${key}=${value}`)),
    ...defined('Dir', service.workingDir ?? undefined),
    ...defined('User', service.user ?? undefined),
    ...nonEmpty('Groups', service.groupAdd),
    ...(service.tty ? { TTY: true } : {}),
    ...(service.stdinOpen ? { OpenStdin: true } : {}),
    ...(service.readOnly ? { ReadOnly: true } : {}),
    ...defined('Init', service.init ?? undefined),
    ...nonEmpty('Mounts', [...service.volumes.map((mount) => swarmMount(project, mount)), ...service.tmpfs.map(tmpfsMount)]),
    ...defined('StopSignal', service.stopSignal ?? undefined),
    ...defined('StopGracePeriod', service.stopGracePeriodNs ?? undefined),
    ...defined(
      'Healthcheck',
      healthcheck
        ? {
            Test: healthcheck.test,
            ...defined('Interval', healthcheck.intervalNs ?? undefined),
            ...defined('Timeout', healthcheck.timeoutNs ?? undefined),
            ...defined('Retries', healthcheck.retries ?? undefined),
            ...defined('StartPeriod', healthcheck.startPeriodNs ?? undefined),
          }
        : undefined,
    ),
    ...nonEmpty('Hosts', service.extraHosts.map(hostsEntry)),
    ...(service.dns.length + service.dnsSearch.length + service.dnsOpt.length > 0
      ? { DNSConfig: { ...nonEmpty('Nameservers', service.dns), ...nonEmpty('Search', service.dnsSearch), ...nonEmpty('Options', service.dnsOpt) } }
      : {}),
    ...nonEmpty('Secrets', service.secrets.map((reference) => fileReference('secret', reference, context))),
    ...nonEmpty('Configs', service.configs.map((reference) => fileReference('config', reference, context))),
    ...(Object.keys(service.sysctls).length > 0 ? { Sysctls: service.sysctls } : {}),
    ...nonEmpty('CapabilityAdd', service.capAdd),
    ...nonEmpty('CapabilityDrop', service.capDrop),
    ...nonEmpty('Ulimits', Object.entries(service.ulimits).map(([name, limit]) => ({ Name: name, Soft: limit.soft, Hard: limit.hard }))),
  };
}

function swarmMount(project: SpecProject, mount: Mount): SwarmMount {
  const readOnly = mount.readOnly ? { ReadOnly: true } : {};
  if (mount.type === 'tmpfs') {
    const options = { ...defined('SizeBytes', mount.tmpfsSizeBytes), ...defined('Mode', mount.tmpfsMode) };
    return { Type: 'tmpfs', Target: mount.target, ...readOnly, ...(Object.keys(options).length > 0 ? { TmpfsOptions: options } : {}) };
  }
  if (mount.type === 'bind') {
    return { Type: 'bind', Source: mount.source ?? '', Target: mount.target, ...readOnly, ...(mount.propagation ? { BindOptions: { Propagation: mount.propagation } } : {}) };
  }
  const source = mount.source === null ? {} : { Source: project.volumes[mount.source]?.name ?? `${project.name}_${mount.source}` };
  return { Type: 'volume', ...source, Target: mount.target, ...readOnly, ...(mount.noCopy ? { VolumeOptions: { NoCopy: true } } : {}) };
}

function tmpfsMount(entry: string): SwarmMount {
  return { Type: 'tmpfs', Target: entry.split(':')[0]! };
}

/** "host:ip" (compose) as "ip host" (Swarm's hosts-file order). */
function hostsEntry(entry: string): string {
  const separator = entry.includes('=') ? entry.indexOf('=') : entry.indexOf(':');
  return separator < 0 ? entry : `${entry.slice(separator + 1)} ${entry.slice(0, separator)}`;
}

function fileReference(kind: 'secret' | 'config', reference: FileReference, context: SpecContext): SwarmFileReference {
  const name = context.fileObjectNames[`${kind}s/${reference.source}`] ?? reference.source;
  // Swarm puts a secret under /run/secrets/ and a config at its target; the model holds the full path.
  const target = kind === 'secret' ? reference.target.replace(/^\/run\/secrets\//, '') : reference.target;
  return {
    ...(kind === 'secret' ? { SecretName: name } : { ConfigName: name }),
    File: { Name: target, UID: reference.uid ?? '0', GID: reference.gid ?? '0', Mode: reference.mode ?? 0o444 },
  };
}

function resources(service: Service): ServiceSpec['TaskTemplate']['Resources'] | undefined {
  const limits = {
    ...defined('NanoCPUs', service.limits.nanoCpus ?? undefined),
    ...defined('MemoryBytes', service.limits.memoryBytes ?? undefined),
    ...defined('Pids', service.limits.pidsLimit ?? undefined),
  };
  const reservations = {
    ...defined('NanoCPUs', service.cpuReservationNanoCpus ?? undefined),
    ...defined('MemoryBytes', service.limits.memoryReservationBytes ?? undefined),
  };
  if (Object.keys(limits).length + Object.keys(reservations).length === 0) return undefined;
  return { ...(Object.keys(limits).length > 0 ? { Limits: limits } : {}), ...(Object.keys(reservations).length > 0 ? { Reservations: reservations } : {}) };
}

/** deploy.restart_policy as written; else `restart:` in Swarm's words (a job restarts on failure at most). */
function restartPolicy(service: Service, job: boolean): NonNullable<ServiceSpec['TaskTemplate']['RestartPolicy']> {
  const written = service.swarm?.restartPolicy;
  if (written) {
    return {
      Condition: written.condition ?? (job ? 'none' : 'any'),
      ...defined('Delay', written.delayNs ?? undefined),
      ...defined('MaxAttempts', written.maxAttempts ?? undefined),
      ...defined('Window', written.windowNs ?? undefined),
    };
  }
  const name = service.restart.name;
  if (name === 'on-failure') return { Condition: 'on-failure', ...(service.restart.maximumRetryCount > 0 ? { MaxAttempts: service.restart.maximumRetryCount } : {}) };
  if (name === 'no') return { Condition: job ? 'none' : 'any' };
  return { Condition: 'any' };
}

function placement(service: Service): ServiceSpec['TaskTemplate']['Placement'] | undefined {
  const written = service.swarm?.placement;
  if (!written) return undefined;
  return {
    ...nonEmpty('Constraints', written.constraints),
    ...nonEmpty('Preferences', written.preferences.map((descriptor) => ({ Spread: { SpreadDescriptor: descriptor } }))),
    ...defined('MaxReplicas', written.maxReplicasPerNode ?? undefined),
  };
}

function mode(service: Service, job: boolean): ServiceSpec['Mode'] {
  const written = service.swarm?.mode;
  if (written === 'global') return { Global: {} };
  if (written === 'global-job') return { GlobalJob: {} };
  if (job) return { ReplicatedJob: { MaxConcurrent: service.replicas, TotalCompletions: service.replicas } };
  return { Replicated: { Replicas: service.replicas } };
}

function rollout(config: RolloutConfig | null): SwarmRolloutConfig | undefined {
  if (config === null) return undefined;
  return {
    ...defined('Parallelism', config.parallelism ?? undefined),
    ...defined('Delay', config.delayNs ?? undefined),
    ...defined('FailureAction', config.failureAction ?? undefined),
    ...defined('Monitor', config.monitorNs ?? undefined),
    ...defined('MaxFailureRatio', config.maxFailureRatio ?? undefined),
    ...defined('Order', config.order ?? undefined),
  };
}

function endpoint(service: Service): ServiceSpec['EndpointSpec'] | undefined {
  const hostMode = service.swarm?.hostModePorts ?? [];
  const ports = service.ports.map((port) => ({
    Protocol: port.protocol,
    TargetPort: port.containerPort,
    ...defined('PublishedPort', port.hostPort ?? undefined),
    PublishMode: hostMode.some((entry) => entry.target === port.containerPort && entry.protocol === port.protocol && entry.published === port.hostPort)
      ? ('host' as const)
      : ('ingress' as const),
  }));
  const endpointMode = service.swarm?.endpointMode ?? undefined;
  if (ports.length === 0 && endpointMode === undefined) return undefined;
  return { ...defined('Mode', endpointMode), ...nonEmpty('Ports', ports) };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function nonEmpty<K extends string, V>(key: K, value: V[]): { [P in K]?: V[] } {
  return (value.length === 0 ? {} : { [key]: value }) as { [P in K]?: V[] };
}
