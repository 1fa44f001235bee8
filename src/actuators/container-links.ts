import type { Project, Service } from '../desired-state/model.js';
import { resolveServiceReference } from './container-networks.js';

// What a container borrows from other containers, named as the engine knows them: legacy links
// (Compose v2's getLinks, which mimics v1) and volumes_from.

/**
 * "<container>:<alias>" for every replica of every linked service, as Compose v2 writes them: the alias as
 * written, then "<service>-<number>" and "<project>-<service>-<number>", where <number> is the linking
 * container's own replica number (v1's rule, kept by v2).
 */
export function containerLinks(
  project: Project,
  service: Service,
  number: number,
  containerNameOf: (service: Service, number: number) => string,
): string[] {
  const links: string[] = [];
  for (const link of service.links) {
    const linked = project.services[link.service];
    if (linked === undefined) continue;
    for (let replica = 1; replica <= linked.replicas; replica += 1) {
      const name = containerNameOf(linked, replica);
      links.push(`${name}:${link.alias}`, `${name}:${link.service}-${number}`, `${name}:${project.name}-${link.service}-${number}`);
    }
  }
  return links;
}

/**
 * HostConfig.VolumesFrom: "<container>[:ro]", a service meaning its first replica (v2 resolves a service
 * to its first container). Unlike v2, which drops the mode there, ":ro" is kept and honoured.
 */
export function volumesFromOf(service: Service, containerNameOf: (service: string) => string): string[] {
  return service.volumesFrom.map((source) => {
    const name = source.kind === 'container' ? source.name : resolveServiceReference(`service:${source.name}`, containerNameOf).slice('container:'.length);
    return source.readOnly ? `${name}:ro` : `${name}:rw`;
  });
}
