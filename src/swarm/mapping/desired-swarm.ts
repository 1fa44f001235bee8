import type { Project } from '../../desired-state/model.js';
import { COMPOSE_NETWORK } from '../../reconciler/labels.js';
import { CONTENT_HASH, FILE_OBJECT_KEY, ownedLabels } from '../model/swarm-labels.js';
import { contentHash, fileObjectName } from '../model/swarm-names.js';
import { toServiceSpec } from './service-spec.js';
import type { FileObjectSpec, NetworkSpec, ServiceSpec } from './swarm-types.js';

// A project as the Swarm objects it needs: overlay networks (attachable, so a one-off task or a backup
// helper can join them), configs and secrets named by their content hash, and a ServiceSpec per service.

export interface DesiredSwarm {
  projectName: string;
  networks: NetworkSpec[];
  fileObjects: FileObjectSpec[];
  /** service name -> its spec. */
  services: Record<string, ServiceSpec>;
  /** service name -> the services it waits for, and how (started, healthy: running; completed). */
  dependencies: Record<string, Array<{ service: string; condition: 'running' | 'completed' }>>;
}

/** `contents`: `secrets/<key>` / `configs/<key>` -> content (model/file-contents.ts). */
export function desiredSwarm(project: Project, contents: Readonly<Record<string, string>>): DesiredSwarm {
  const networks = Object.values(project.networks)
    .filter((network) => !network.external)
    .map((network): NetworkSpec => ({
      Name: network.name,
      Driver: network.driver ?? 'overlay',
      Attachable: true,
      Internal: network.internal,
      Labels: { ...network.labels, ...ownedLabels(project.name), [COMPOSE_NETWORK]: network.key },
      Options: network.driverOpts,
      ...(network.ipam ? { IPAM: { Driver: network.ipam.driver ?? 'default', Config: network.ipam.config } } : {}),
    }))
    .sort((left, right) => left.Name.localeCompare(right.Name));
  const fileObjects: FileObjectSpec[] = [];
  const fileObjectNames: Record<string, string> = {};
  for (const [kind, objects] of [['secret', project.secrets], ['config', project.configs]] as const) {
    for (const [key, object] of Object.entries(objects)) {
      const content = contents[`${kind}s/${key}`];
      if (content === undefined) {
        fileObjectNames[`${kind}s/${key}`] = object.name;
        continue;
      }
      const name = fileObjectName(project.name, key, content);
      fileObjectNames[`${kind}s/${key}`] = name;
      fileObjects.push({ kind, Name: name, Labels: { ...ownedLabels(project.name), [FILE_OBJECT_KEY]: key, [CONTENT_HASH]: contentHash(content) }, content });
    }
  }
  const services: Record<string, ServiceSpec> = {};
  const dependencies: DesiredSwarm['dependencies'] = {};
  for (const service of Object.values(project.services)) {
    services[service.name] = toServiceSpec(project, service, { fileObjectNames });
    dependencies[service.name] = Object.entries(service.dependsOn)
      .filter(([name]) => name in project.services)
      .map(([name, dependency]) => ({ service: name, condition: dependency.condition === 'service_completed_successfully' ? ('completed' as const) : ('running' as const) }))
      .sort((left, right) => left.service.localeCompare(right.service));
  }
  return { projectName: project.name, networks, fileObjects: fileObjects.sort((left, right) => left.Name.localeCompare(right.Name)), services, dependencies };
}
