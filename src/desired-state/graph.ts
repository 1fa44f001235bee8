import type { DependencyGraph } from './model.js';

// The service dependency graph: topological levels for ordered start-up and shut-down, and every cycle
// when there is one, so a manifest with a dependency loop is rejected with all loops named at once.
// Everything is iterative (no recursion): a chain of thousands of services must not overflow the stack.
// Names are ordered by UTF-16 code units, never by locale, so the result is the same on every machine.

export type DependencyGraphResult = { ok: true; graph: DependencyGraph } | { ok: false; cycles: string[][] };

/** edges: service -> names of services it depends on (all names exist in `services`). */
export function buildDependencyGraph(services: string[], edges: Record<string, string[]>): DependencyGraphResult {
  const names = sortedUnique(services);
  const known = new Set(names);
  const dependencies: Record<string, string[]> = {};
  const dependents: Record<string, string[]> = {};
  for (const name of names) {
    dependencies[name] = [];
    dependents[name] = [];
  }
  for (const [service, targets] of Object.entries(edges)) {
    if (!known.has(service)) throw new Error(`dependency graph: unknown service "${service}"`);
    for (const target of targets) {
      if (!known.has(target)) throw new Error(`dependency graph: "${service}" depends on unknown service "${target}"`);
    }
    dependencies[service] = sortedUnique(targets);
  }
  for (const name of names) {
    for (const target of dependencies[name] ?? []) dependents[target]?.push(name);
  }
  // Pushed in sorted order of `name`, so every dependents list is already sorted and unique.

  const levels = topologicalLevels(names, dependencies, dependents);
  const placed = levels.reduce((count, level) => count + level.length, 0);
  if (placed === names.length) return { ok: true, graph: { levels, dependencies, dependents } };
  return { ok: false, cycles: findCycles(names, dependencies) };
}

/** `api -> db -> worker -> api`. */
export function formatCycle(cycle: string[]): string {
  if (cycle.length === 0) return '';
  return [...cycle, cycle[0]].join(' -> ');
}

function compareNames(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareNames);
}

/** Kahn's algorithm one level at a time; services caught in (or behind) a cycle are left out. */
function topologicalLevels(
  names: string[],
  dependencies: Record<string, string[]>,
  dependents: Record<string, string[]>,
): string[][] {
  const remaining = new Map<string, number>();
  for (const name of names) remaining.set(name, dependencies[name]?.length ?? 0);
  const levels: string[][] = [];
  let current = names.filter((name) => remaining.get(name) === 0);
  while (current.length > 0) {
    levels.push(current);
    const next: string[] = [];
    for (const name of current) {
      for (const dependent of dependents[name] ?? []) {
        const count = (remaining.get(dependent) ?? 0) - 1;
        remaining.set(dependent, count);
        if (count === 0) next.push(dependent);
      }
    }
    current = next.sort(compareNames);
  }
  return levels;
}

/** Every strongly connected component with more than one member, or a single member depending on itself. */
function findCycles(names: string[], dependencies: Record<string, string[]>): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnectedComponents(names, dependencies)) {
    const first = component[0];
    if (first === undefined) continue;
    if (component.length === 1 && !(dependencies[first] ?? []).includes(first)) continue;
    cycles.push(cyclePath(component, dependencies));
  }
  return cycles.sort(compareCycles);
}

function compareCycles(left: string[], right: string[]): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const order = compareNames(left[index] ?? '', right[index] ?? '');
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** Tarjan's algorithm with an explicit stack of (node, next edge index) frames. */
function stronglyConnectedComponents(names: string[], dependencies: Record<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of names) {
    if (index.has(root)) continue;
    const frames: Array<{ node: string; edge: number }> = [{ node: root, edge: 0 }];
    index.set(root, counter);
    lowLink.set(root, counter);
    counter++;
    stack.push(root);
    onStack.add(root);

    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) break;
      const targets = dependencies[frame.node] ?? [];
      if (frame.edge < targets.length) {
        const target = targets[frame.edge] as string;
        frame.edge++;
        if (!index.has(target)) {
          index.set(target, counter);
          lowLink.set(target, counter);
          counter++;
          stack.push(target);
          onStack.add(target);
          frames.push({ node: target, edge: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.node, Math.min(lowLink.get(frame.node) ?? 0, index.get(target) ?? 0));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) {
        lowLink.set(parent.node, Math.min(lowLink.get(parent.node) ?? 0, lowLink.get(frame.node) ?? 0));
      }
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort(compareNames));
      }
    }
  }
  return components;
}

/**
 * A closed walk through every member of a strongly connected component, starting at its smallest name and
 * following dependency edges: from where it stands it moves to the nearest member not yet visited (shortest
 * path, ties broken by name), then back to the start. For a plain cycle this is exactly the cycle; in a
 * tangle of cycles a member can appear more than once, but every step is a real dependency.
 */
function cyclePath(component: string[], dependencies: Record<string, string[]>): string[] {
  const start = component[0] as string;
  const members = new Set(component);
  const visited = new Set<string>([start]);
  const walk: string[] = [start];
  let position = start;
  while (visited.size < members.size) {
    const path = shortestPath(position, (node) => !visited.has(node), members, dependencies);
    if (path === null) break; // unreachable for a real strongly connected component
    for (const node of path) {
      walk.push(node);
      visited.add(node);
    }
    position = path[path.length - 1] ?? position;
  }
  if (position !== start || walk.length === 1) {
    const back = shortestPath(position, (node) => node === start, members, dependencies);
    if (back !== null) walk.push(...back.slice(0, -1));
  }
  return walk;
}

/** Breadth-first search inside `members`; the path excludes `from` and ends at the first node accepted. */
function shortestPath(
  from: string,
  accept: (node: string) => boolean,
  members: Set<string>,
  dependencies: Record<string, string[]>,
): string[] | null {
  const previous = new Map<string, string>();
  const seen = new Set<string>([from]);
  const queue: string[] = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const target of dependencies[node] ?? []) {
      if (!members.has(target)) continue;
      if (accept(target)) {
        const path = [target];
        let step = node;
        while (step !== from) {
          path.push(step);
          step = previous.get(step) as string;
        }
        return path.reverse();
      }
      if (seen.has(target)) continue;
      seen.add(target);
      previous.set(target, node);
      queue.push(target);
    }
  }
  return null;
}
