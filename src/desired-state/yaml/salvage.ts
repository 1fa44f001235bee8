import type { z } from 'zod';

// What validated of a document that has schema errors, so that the checks across the project (undefined
// dependencies, undeclared networks, port clashes) still run and the operator sees every problem in one
// pass. The parts with problems are dropped; a service with a problem that dropping a key cannot fix is kept
// as a stand-in, so that services depending on it do not report it as undefined.

type Path = ReadonlyArray<PropertyKey>;

const STAND_IN_SERVICE = { image: 'composelet/invalid' };

export function salvage<T>(schema: z.ZodType<T>, document: Record<string, unknown>, problemPaths: readonly Path[]): T | null {
  let current = dropAll(document, problemPaths, Infinity);
  for (const depth of [Infinity, 2]) {
    const parsed = schema.safeParse(current);
    if (parsed.success) return parsed.data;
    current = dropAll(current, parsed.error.issues.map((issue) => issue.path), depth);
  }
  const parsed = schema.safeParse(current);
  return parsed.success ? parsed.data : null;
}

/** A copy of `document` without the values at `paths`, each cut to `depth` segments. */
function dropAll(document: Record<string, unknown>, paths: readonly Path[], depth: number): Record<string, unknown> {
  const copy = structuredClone(document);
  // Deepest and last array items first, so removing one does not shift the next.
  const unique = new Map(paths.map((path) => path.slice(0, depth)).map((path) => [JSON.stringify(path), path]));
  const sorted = [...unique.values()].sort(compareDescending);
  for (const path of sorted) drop(copy, path);
  // A service left with neither image nor build by a dropped key (`imgae:`) would be reported for that too.
  for (const path of sorted) {
    const service = path[0] === 'services' && path.length > 2 ? (copy.services as Record<string, unknown> | undefined)?.[String(path[1])] : undefined;
    if (isRecord(service) && service.image === undefined && service.build === undefined) service.image = STAND_IN_SERVICE.image;
  }
  return copy;
}

function drop(root: Record<string, unknown>, path: Path): void {
  if (path.length === 0) return;
  if (path[0] === 'services' && path.length <= 2) {
    const services = root.services;
    if (path.length === 2 && isRecord(services)) services[String(path[1])] = { ...STAND_IN_SERVICE };
    else if (path.length === 1) delete root.services;
    return;
  }
  if (path[0] === 'services' && path.length === 3 && path[2] === 'image') {
    // Without it the service would also be reported as having neither image nor build.
    const service = (root.services as Record<string, unknown> | undefined)?.[String(path[1])];
    if (isRecord(service)) service.image = STAND_IN_SERVICE.image;
    return;
  }
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<PropertyKey, unknown>)[segment as string];
  }
  const last = path.at(-1)!;
  if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else if (isRecord(node)) delete node[String(last)];
}

function compareDescending(left: Path, right: Path): number {
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const a = left[index]!;
    const b = right[index]!;
    if (a === b) continue;
    if (typeof a === 'number' && typeof b === 'number') return b - a;
    return String(a).localeCompare(String(b));
  }
  return right.length - left.length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
