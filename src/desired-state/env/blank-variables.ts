import type { BlankVariable } from './interpolate.js';

// `image: ${REGISTRY}/api:${TAG}` with TAG unset becomes "registry/api:", which the engine rejects much later
// as "invalid reference format". When an image or a container_name came out empty or malformed and an unset
// or empty variable went into it, the error names that variable.

export interface BlankProblem {
  path: Array<string | number>;
  message: string;
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
/** Docker's reference grammar (distribution/reference), without IPv6 registry addresses. */
const IMAGE_REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function isImageReference(value: string): boolean {
  return IMAGE_REFERENCE.test(value);
}

const CHECKED: Record<string, { words: string; isValid: (value: string) => boolean }> = {
  image: { words: 'image reference', isValid: isImageReference },
  container_name: { words: 'container name', isValid: (value) => CONTAINER_NAME.test(value) },
};

/** Problems for `services.*.image` and `services.*.container_name` spoiled by blank variables. */
export function checkBlankReferences(
  document: unknown,
  blanks: ReadonlyArray<{ path: Array<string | number>; variables: BlankVariable[] }>,
): BlankProblem[] {
  const problems: BlankProblem[] = [];
  for (const blank of blanks) {
    const [top, service, key, ...rest] = blank.path;
    if (top !== 'services' || typeof service !== 'string' || typeof key !== 'string' || rest.length > 0) continue;
    const checked = CHECKED[key];
    if (!checked) continue;
    const value = valueAt(document, blank.path);
    if (typeof value !== 'string') continue;
    const cause = describeBlanks(blank.variables);
    if (value === '') problems.push({ path: blank.path, message: `${key} came out empty: ${cause}` });
    else if (!checked.isValid(value)) {
      problems.push({ path: blank.path, message: `${JSON.stringify(value)} is not a valid ${checked.words}: ${cause}` });
    }
  }
  return problems;
}

/** "TAG is not set", "NAME is empty", "A and B are not set". */
export function describeBlanks(variables: readonly BlankVariable[]): string {
  const unset = variables.filter((variable) => variable.unset).map((variable) => variable.name);
  const empty = variables.filter((variable) => !variable.unset).map((variable) => variable.name);
  const phrase = (names: string[], state: string) =>
    names.length === 1 ? `${names[0]} is ${state}` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are ${state}`;
  return [unset.length > 0 ? phrase(unset, 'not set') : null, empty.length > 0 ? phrase(empty, 'empty') : null]
    .filter((part): part is string => part !== null)
    .join('; ');
}

function valueAt(document: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = document;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
