import type { Project, Service } from '../../desired-state/model.js';

/** Services level by level (dependencies first), sorted by name within a level. */
export function servicesInDependencyOrder(project: Project): Service[] {
  const ordered = project.graph.levels.flat();
  const rest = Object.keys(project.services)
    .filter((name) => !ordered.includes(name))
    .sort();
  return [...ordered, ...rest]
    .map((name) => project.services[name])
    .filter((service): service is Service => service !== undefined);
}
