import type { InterpolatedString } from './interpolate.js';
import type { DotenvProvenance, Service } from '../model.js';
import { splitShellWords } from './shell-words.js';

// Which values of a service came from the project's `.env`, field by field. The interpolator records
// every string that used a variable, with its path in its file; a record counts when one of its
// variables is defined in `.env`. A model value is "from .env" when a record under the same kind of
// field (environment, build args, labels, a hook's environment) gives the same key the same value: this
// survives merges of several files and `extends` (where the service's name in the file differs).
// `environment: [FOO]` (no value) takes FOO from the environment or `.env`: it counts when `.env` has FOO.
// In `command` and `entrypoint`, the words that hold the value of a `.env` variable count.

type FieldKind = 'environment' | 'buildArgs' | 'labels' | 'hookEnvironment';
type WordsKind = 'command' | 'entrypoint';

const HOOK_KEYS = new Set(['post_start', 'pre_stop']);

/** The field kind and key=value a record sets, or null when it sets none of the fields followed. */
export function recordedEntry(record: InterpolatedString): { kind: FieldKind; key: string; value: string } | null {
  const { path } = record;
  if (path[0] !== 'services' || path.length < 4) return null;
  const last = path[path.length - 1]!;
  const container = path[path.length - 2];
  const parent = path[path.length - 3];
  let kind: FieldKind | null = null;
  if (container === 'environment') kind = path.some((segment) => typeof segment === 'string' && HOOK_KEYS.has(segment)) ? 'hookEnvironment' : 'environment';
  else if (container === 'args' && parent === 'build') kind = 'buildArgs';
  else if (container === 'labels' && parent !== 'build') kind = 'labels';
  if (kind === null) return null;
  if (typeof last === 'string') return { kind, key: last, value: record.value };
  // List form: "KEY=value".
  const index = record.value.indexOf('=');
  if (index < 0) return null;
  return { kind, key: record.value.slice(0, index), value: record.value.slice(index + 1) };
}

export interface DotenvProvenanceInput {
  service: Service;
  /** Every string interpolated in every file of the project (extended files included). */
  interpolatedStrings: readonly InterpolatedString[];
  /** Names of the variables `.env` defines. */
  dotenvNames: ReadonlySet<string>;
  /** Environment keys the manifests list without a value (`environment: [FOO]`, `FOO:`). */
  environmentWithoutValue: readonly string[];
  /** The variables' values, as interpolation saw them. */
  lookup: (name: string) => string | undefined;
}

/** The words of a command or entrypoint record that hold the value of one of `variables`. */
export function wordsHolding(record: InterpolatedString, variables: readonly string[], lookup: DotenvProvenanceInput['lookup']): { kind: WordsKind; words: string[] } | null {
  const { path } = record;
  if (path[0] !== 'services' || path.length < 3) return null;
  const kind = typeof path[path.length - 1] === 'number' ? path[path.length - 2] : path[path.length - 1];
  if (kind !== 'command' && kind !== 'entrypoint') return null;
  if (path.length !== (typeof path[path.length - 1] === 'number' ? 4 : 3)) return null;
  const split = typeof path[path.length - 1] === 'number' ? { ok: true as const, words: [record.value] } : splitShellWords(record.value);
  if (!split.ok) return null;
  const values = variables.map(lookup).filter((value): value is string => value !== undefined && value !== '');
  return { kind, words: split.words.filter((word) => values.some((value) => word.includes(value))) };
}

export function dotenvProvenanceOf(input: DotenvProvenanceInput): DotenvProvenance {
  const entries = new Set<string>();
  const entryKey = (kind: FieldKind, key: string, value: string) => JSON.stringify([kind, key, value]);
  const secretWords: Record<WordsKind, Set<string>> = { command: new Set(), entrypoint: new Set() };
  for (const record of input.interpolatedStrings) {
    const variables = record.usedVariables.filter((name) => input.dotenvNames.has(name));
    if (variables.length === 0) continue;
    const entry = recordedEntry(record);
    if (entry) entries.add(entryKey(entry.kind, entry.key, entry.value));
    const holding = wordsHolding(record, variables, input.lookup);
    if (holding) for (const word of holding.words) secretWords[holding.kind].add(word);
  }
  const indicesOf = (kind: WordsKind, words: string[] | null) =>
    (words ?? []).flatMap((word, index) => (secretWords[kind].has(word) ? [index] : []));
  const fromDotenv = (kind: FieldKind, values: Record<string, string | null>) =>
    Object.entries(values)
      .filter(([key, value]) => value !== null && entries.has(entryKey(kind, key, value)))
      .map(([key]) => key);
  const { service } = input;
  const environment = new Set(fromDotenv('environment', service.environment));
  for (const key of input.environmentWithoutValue) {
    if (input.dotenvNames.has(key) && key in service.environment && !service.environmentFromFiles.includes(key)) environment.add(key);
  }
  const hookEnvironment = new Set<string>();
  for (const hook of [...service.postStart, ...service.preStop]) {
    for (const key of fromDotenv('hookEnvironment', hook.environment)) hookEnvironment.add(key);
  }
  return {
    environment: [...environment].sort(),
    buildArgs: service.build ? fromDotenv('buildArgs', service.build.args).sort() : [],
    labels: fromDotenv('labels', service.labels).sort(),
    hookEnvironment: [...hookEnvironment].sort(),
    command: indicesOf('command', service.command),
    entrypoint: indicesOf('entrypoint', service.entrypoint),
  };
}
