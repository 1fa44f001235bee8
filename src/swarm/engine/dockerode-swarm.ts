import Dockerode from 'dockerode';
import { parseDockerHost } from '../../engine/docker-host.js';
import type { FileObjectSpec, NetworkSpec, ServiceSpec, SwarmFileReference } from '../mapping/swarm-types.js';
import { COMPOSE_PROJECT, COMPOSE_SERVICE } from '../model/swarm-labels.js';
import type { SwarmPort } from './swarm-port.js';
import { templateHash } from '../observe/template-hash.js';
import { byName, type ObservedSwarm, type ObservedSwarmObject, type ObservedSwarmService, type ObservedTask } from '../observe/observed-swarm.js';

// The Swarm port over dockerode, talking to a manager node (DOCKER_HOST or the default socket).

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function createDockerodeSwarm(options: { dockerHost?: string }): SwarmPort {
  const docker = new Dockerode(parseDockerHost(options.dockerHost).dockerodeOptions);

  async function tasksOf(serviceId: string): Promise<ObservedTask[]> {
    const tasks = (await docker.listTasks({ filters: JSON.stringify({ service: [serviceId] }) } as never)) as unknown as Raw[];
    return tasks.map(toTask).sort((left, right) => left.createdAt.localeCompare(right.createdAt) || left.id.localeCompare(right.id));
  }

  async function toService(raw: Raw): Promise<ObservedSwarmService> {
    return {
      id: raw.ID,
      name: raw.Spec?.Name ?? '',
      version: raw.Version?.Index ?? 0,
      labels: raw.Spec?.Labels ?? {},
      spec: raw.Spec ?? {},
      updateState: raw.UpdateStatus?.State ?? null,
      updateMessage: raw.UpdateStatus?.Message ?? null,
      templateHash: templateHash(raw.Spec?.TaskTemplate),
      tasks: await tasksOf(raw.ID),
    };
  }

  async function fileObjectIds(spec: ServiceSpec): Promise<ServiceSpec> {
    const refs = spec.TaskTemplate.ContainerSpec;
    if (!refs.Secrets && !refs.Configs) return spec;
    const secrets = new Map(((await docker.listSecrets()) as Raw[]).map((secret) => [secret.Spec.Name, secret.ID]));
    const configs = new Map(((await docker.listConfigs()) as Raw[]).map((config) => [config.Spec.Name, config.ID]));
    const withId = (reference: SwarmFileReference) =>
      reference.SecretName !== undefined
        ? { ...reference, SecretID: secrets.get(reference.SecretName) ?? reference.SecretName }
        : { ...reference, ConfigID: configs.get(reference.ConfigName ?? '') ?? reference.ConfigName };
    return {
      ...spec,
      TaskTemplate: {
        ...spec.TaskTemplate,
        ContainerSpec: {
          ...refs,
          ...(refs.Secrets ? { Secrets: refs.Secrets.map(withId) } : {}),
          ...(refs.Configs ? { Configs: refs.Configs.map(withId) } : {}),
        },
      },
    };
  }

  return {
    async observe(projectName) {
      const filters = JSON.stringify({ label: [`${COMPOSE_PROJECT}=${projectName}`] });
      const [services, networks, configs, secrets, nodes] = await Promise.all([
        docker.listServices({ filters } as never) as unknown as Promise<Raw[]>,
        docker.listNetworks() as Promise<Raw[]>,
        docker.listConfigs({ filters } as never) as unknown as Promise<Raw[]>,
        docker.listSecrets({ filters } as never) as unknown as Promise<Raw[]>,
        docker.listNodes() as Promise<Raw[]>,
      ]);
      const object = (raw: Raw): ObservedSwarmObject => ({ id: raw.ID ?? raw.Id, name: raw.Spec?.Name ?? raw.Name, labels: raw.Spec?.Labels ?? raw.Labels ?? {} });
      const observed: ObservedSwarm = {
        services: byName(await Promise.all(services.map(toService))),
        networks: byName(networks.map(object)),
        configs: byName(configs.map(object)),
        secrets: byName(secrets.map(object)),
        nodes: nodes
          .map((node) => ({
            id: node.ID,
            hostname: node.Description?.Hostname ?? '',
            role: node.Spec?.Role ?? '',
            availability: node.Spec?.Availability ?? '',
            state: node.Status?.State ?? '',
          }))
          .sort((left, right) => left.hostname.localeCompare(right.hostname) || left.id.localeCompare(right.id)),
      };
      return observed;
    },
    async observeService(projectName, serviceName) {
      const filters = JSON.stringify({ label: [`${COMPOSE_PROJECT}=${projectName}`, `${COMPOSE_SERVICE}=${serviceName}`] });
      const [service] = (await docker.listServices({ filters } as never)) as unknown as Raw[];
      return service ? toService(service) : null;
    },
    async createNetwork(spec: NetworkSpec) {
      const network = await docker.createNetwork({ ...spec, CheckDuplicate: true } as never);
      return network.id;
    },
    async createFileObject(spec: FileObjectSpec) {
      const body = { Name: spec.Name, Labels: spec.Labels, Data: Buffer.from(spec.content, 'utf8').toString('base64') };
      const created = (spec.kind === 'secret' ? await docker.createSecret(body) : await docker.createConfig(body)) as unknown as Raw;
      return created.id ?? created.ID;
    },
    async createService(spec) {
      const created = (await docker.createService((await fileObjectIds(spec)) as never)) as unknown as Raw;
      return created.id ?? created.ID;
    },
    async updateService(serviceId, version, spec) {
      await docker.getService(serviceId).update({ version, ...(await fileObjectIds(spec)) } as never);
    },
    async removeService(serviceId) {
      await docker.getService(serviceId).remove();
    },
    async removeNetwork(networkId) {
      await docker.getNetwork(networkId).remove();
    },
    async removeFileObject(kind, id) {
      if (kind === 'secret') await docker.getSecret(id).remove();
      else await docker.getConfig(id).remove();
    },
  };
}

function toTask(raw: Raw): ObservedTask {
  return {
    id: raw.ID,
    nodeId: raw.NodeID ?? '',
    desiredState: raw.DesiredState ?? '',
    state: raw.Status?.State ?? '',
    message: raw.Status?.Message ?? '',
    error: raw.Status?.Err ?? null,
    exitCode: raw.Status?.ContainerStatus?.ExitCode ?? null,
    containerId: raw.Status?.ContainerStatus?.ContainerID ?? null,
    specVersion: null,
    templateHash: templateHash(raw.Spec),
    createdAt: raw.CreatedAt ?? '',
  };
}
