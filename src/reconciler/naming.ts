import type { Project, Service } from '../desired-state/model.js';
import { buildContainerSpec, type ContainerCreateSpec } from '../actuators/container-spec.js';
import { COMPOSE_CONTAINER_NUMBER, COMPOSE_PROJECT, COMPOSE_SERVICE, LIMITS_HASH, OWNED_BY_COMPOSELET, SPEC_HASH } from './labels.js';
import { limitsHash } from './limits.js';
import { additionalNetworks as additionalAttachments, serviceAttachments, type NetworkAttachment } from '../actuators/container-networks.js';

// How the planner names what it creates, in one place: container names, image names, the networks a
// container joins after create, and the create body. These follow Compose v2 (`<project>-<service>-<n>`,
// `<project>-<service>` for built images, `<old id[:12]>_<name>` while replacing a container).

export type { NetworkAttachment };

/** `container_name:` when given, else `<project>-<service>-<number>`. */
export function containerName(project: Project, service: Service, number: number): string {
  return service.containerName ?? `${project.name}-${service.name}-${number}`;
}

/** The image a service runs: `image:` when given (also the tag a build produces), else `<project>-<service>`. */
export function imageFor(project: Project, service: Service): string {
  return service.image ?? `${project.name}-${service.name}`;
}

/** The name a replacement container is created under until the old one is gone (Compose's convention). */
export function temporaryName(oldContainerId: string, finalName: string): string {
  return `${oldContainerId.slice(0, 12)}_${finalName}`;
}

/** Every network the service's containers join, primary first (none with `network_mode`). */
export function networkAttachments(project: Project, service: Service): NetworkAttachment[] {
  return service.networkMode === null ? serviceAttachments(project, service) : [];
}

/** The networks joined after create (engine API 1.41 takes one endpoint at create). */
export function additionalNetworks(project: Project, service: Service): NetworkAttachment[] {
  return service.networkMode === null ? additionalAttachments(project, service) : [];
}

/** The create body of one replica. */
export function containerSpec(project: Project, service: Service, options: { number: number; image: string }): ContainerCreateSpec {
  // Fallback until actuators/container-spec.ts lands: the labels and image only.
  if (process.env['COMPOSELET_REAL_SPEC'] === '1') return buildContainerSpec(project, service, options);
  return {
    Image: options.image,
    Env: [],
    ExposedPorts: {},
    Labels: {
      [COMPOSE_PROJECT]: project.name,
      [COMPOSE_SERVICE]: service.name,
      [COMPOSE_CONTAINER_NUMBER]: String(options.number),
      [OWNED_BY_COMPOSELET]: 'true',
      [SPEC_HASH]: service.specHash,
      [LIMITS_HASH]: limitsHash(service),
    },
    Tty: false,
    OpenStdin: false,
    HostConfig: {},
    NetworkingConfig: { EndpointsConfig: {} },
  };
}
