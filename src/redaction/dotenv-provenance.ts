import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDotenv } from '../desired-state/dotenv.js';
import type { Project } from '../desired-state/model.js';
import type { Redactor } from './redact.js';

// Values that came from the project's `.env` are secrets for output purposes, whatever their key: the
// file exists to keep values out of the compose file. The loader does not keep where a value came from,
// so this reads `<workingDir>/.env` again, as the loader does (interpolated against the environment
// composelet runs in), and gives its variable names and values. Output that contains a value verbatim
// (a command line, a URL, an engine error) is redacted with `redactKnownValues`.

/** Values shorter than this are left alone: redacting every "1", "yes" or "info" hides too much. */
export const MINIMUM_REDACTED_LENGTH = 4;

export interface DotenvProvenanceOptions {
  /** The environment the manifests were loaded with (defaults to process.env). */
  environment?: Readonly<Record<string, string | undefined>>;
}

function readProjectDotenv(project: Pick<Project, 'workingDir'>, options: DotenvProvenanceOptions): Map<string, string | null> {
  const file = join(project.workingDir, '.env');
  if (!existsSync(file)) return new Map();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Map();
  }
  const environment = options.environment ?? process.env;
  return parseDotenv(text, { lookup: (name) => environment[name] }).values;
}

/** Names of the variables the project's `.env` defines. */
export function dotenvKeys(project: Pick<Project, 'workingDir'>, options: DotenvProvenanceOptions = {}): Set<string> {
  return new Set(readProjectDotenv(project, options).keys());
}

/** The values the project's `.env` defines, at least MINIMUM_REDACTED_LENGTH characters long. */
export function valuesFromDotenv(project: Pick<Project, 'workingDir'>, options: DotenvProvenanceOptions = {}): Set<string> {
  const values = new Set<string>();
  for (const value of readProjectDotenv(project, options).values()) {
    if (value !== null && value.length >= MINIMUM_REDACTED_LENGTH) values.add(value);
  }
  return values;
}

/** Every verbatim occurrence of a known secret value replaced by its marker, in one pass (a marker is
 * never searched again), the longest value first where several start at the same place. */
export function redactKnownValues(text: string, values: ReadonlySet<string>, redactor: Redactor): string {
  const alternatives = [...values]
    .filter((value) => value.length > 0)
    .sort((left, right) => right.length - left.length)
    .map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (alternatives.length === 0) return text;
  return text.replace(new RegExp(alternatives.join('|'), 'g'), (value) => redactor.marker(value));
}
