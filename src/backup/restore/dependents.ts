import type { Project } from '../../desired-state/model.js';

// The services that depend on one, directly or not, in the order to stop them: the deepest dependency
// level first (reverse dependency order). Reversed, it is the order to start them again.

export function dependentsDeepestFirst(project: Project, service: string): string[] {
  const found = new Set<string>();
  const queue = [...(project.graph.dependents[service] ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (found.has(next) || next === service) continue;
    found.add(next);
    queue.push(...(project.graph.dependents[next] ?? []));
  }
  const level = (name: string) => project.graph.levels.findIndex((names) => names.includes(name));
  return [...found].sort((left, right) => level(right) - level(left) || left.localeCompare(right));
}
