import type { Project, Service } from '../desired-state/model.js';
import { serviceAttachments, type NetworkAttachment } from '../actuators/container-networks.js';
import { additionalNetworks as additionalAttachments } from '../actuators/container-spec.js';

// How the planner names what it creates, in one place: container names, image names, the networks a
// container joins after create, and the create body, all from the actuators (so the plan and the engine
// agree), plus the temporary name a replacement is created under (Compose's `<old id[:12]>_<name>`).

export { buildContainerSpec as containerSpec, containerName, imageFor } from '../actuators/container-spec.js';
export type { NetworkAttachment };

/** The name a replacement container is created under until the old one is gone. */
export function temporaryName(oldContainerId: string, finalName: string): string {
  return `${oldContainerId.slice(0, 12)}_${finalName}`;
}

/** The name an old container is renamed to while its replacement proves itself (a rollout, an adoption). */
export function asideName(oldContainerId: string, finalName: string): string {
  return `${finalName}-previous-${oldContainerId.slice(0, 12)}`;
}

/** Every network the service's containers join, primary first (none with `network_mode`). */
export function networkAttachments(project: Project, service: Service): NetworkAttachment[] {
  return service.networkMode === null ? serviceAttachments(project, service) : [];
}

/** The networks joined after create (engine API 1.41 takes one endpoint at create). */
export function additionalNetworks(project: Project, service: Service): NetworkAttachment[] {
  return service.networkMode === null ? additionalAttachments(project, service) : [];
}
