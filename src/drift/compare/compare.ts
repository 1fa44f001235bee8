import jsonPatch from 'fast-json-patch';
import type { ComparableContainer } from '../normalize/comparable.js';

// Diffs explain: the JSON Patch (RFC 6902, fast-json-patch) from the normalized desired container to the
// normalized live one, turned into one difference per field. Operations inside an array (command,
// sorted sets) or inside a value that only makes sense whole (a mount, the healthcheck, the restart
// policy) are folded into one `replace` of that value, so "/capAdd" changed rather than "/capAdd/1".

export interface FieldDifference {
  /** JSON Pointer into the comparable shape. */
  path: string;
  /** From desired to live: add = only live has it, remove = only desired has it. */
  op: 'add' | 'remove' | 'replace';
  desired: unknown;
  live: unknown;
}

/** Values compared whole: `*` matches one key. */
const WHOLE_VALUES = ['/limits/restart', '/healthcheck', '/logging', '/mounts/*', '/ulimits/*'];

export function diffContainers(desired: ComparableContainer, live: ComparableContainer): FieldDifference[] {
  const desiredDocument = plain(desired);
  const liveDocument = plain(live);
  const paths = new Set<string>();
  for (const operation of jsonPatch.compare(desiredDocument, liveDocument)) {
    paths.add(foldPath(operation.path, desiredDocument, liveDocument));
  }
  return [...paths]
    .sort(comparePaths)
    .map((path) => {
      const desiredValue = valueAt(desiredDocument, path);
      const liveValue = valueAt(liveDocument, path);
      const op = desiredValue === undefined ? 'add' : liveValue === undefined ? 'remove' : 'replace';
      return { path, op, desired: desiredValue ?? null, live: liveValue ?? null };
    });
}

/** The shortest prefix of `path` that is an array on either side or a whole value; else `path`. */
export function foldPath(path: string, desired: unknown, live: unknown): string {
  const segments = path.split('/').slice(1);
  for (let length = 1; length < segments.length; length++) {
    const prefix = `/${segments.slice(0, length).join('/')}`;
    if (Array.isArray(valueAt(desired, prefix)) || Array.isArray(valueAt(live, prefix))) return prefix;
    if (WHOLE_VALUES.some((pattern) => matches(pattern, prefix))) return prefix;
  }
  return path;
}

/** JSON Pointer segments, unescaped ("~1" is "/", "~0" is "~"). */
export function pointerSegments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((segment) => jsonPatch.unescapePathComponent(segment));
}

export function pointerOf(segments: readonly string[]): string {
  return segments.map((segment) => `/${jsonPatch.escapePathComponent(segment)}`).join('');
}

function valueAt(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const segment of pointerSegments(path)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function matches(pattern: string, path: string): boolean {
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  return patternParts.length === pathParts.length && patternParts.every((part, index) => part === '*' || part === pathParts[index]);
}

function comparePaths(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A JSON copy: no undefined, no prototypes. */
function plain(value: ComparableContainer): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
