import { inputExists } from '../cache/recorded-reads.js';
import { join } from 'node:path';
import { parseDotenv } from '../env/dotenv.js';
import type { ManifestIssue } from '../manifest-issue.js';
import type { SecretSources } from './secret-sources.js';

// A project's `.env`, in layers, each read as Compose reads `.env`, a later layer overriding an earlier one
// key by key: `.env` (plain, in the checkout), `.env.age` (age-encrypted), `.sops.env` (SOPS dotenv), then
// `--secrets-dir`'s `<project>.env`. The environment composelet runs in still wins over all of them (the
// caller's lookup asks it first, as Compose does). Every key of every layer counts as `.env` provenance,
// so its values are redacted wherever they land.

/** The checkout's layers, in the order they apply. */
export const PROJECT_DOTENV_FILES = ['.env', '.env.age', '.sops.env'] as const;

export interface DotenvLayerInput {
  environment: Readonly<Record<string, string | undefined>>;
  secrets: SecretSources;
  issues: ManifestIssue[];
}

export function readProjectDotenv(workingDir: string, input: DotenvLayerInput): Map<string, string | null> {
  const values = new Map<string, string | null>();
  for (const name of PROJECT_DOTENV_FILES) {
    const file = join(workingDir, name);
    if (inputExists(file)) addDotenvLayer(values, file, input);
  }
  return values;
}

/** `--secrets-dir`'s file for the project, over the other layers. It cannot rename the project: the name
 * chose the file. Returns the file's path (whether or not it is there: the controller watches it), or null
 * without --secrets-dir. */
export function addSecretsDirLayer(values: Map<string, string | null>, projectName: string, input: DotenvLayerInput): string | null {
  const found = input.secrets.projectSecretFile(projectName);
  if (!found) return null;
  if (!found.present) return found.file;
  if (found.problem) {
    input.issues.push({ file: found.file, line: 0, column: 0, path: '', message: found.problem });
    return found.file;
  }
  const layer = new Map<string, string | null>();
  addDotenvLayer(layer, found.file, input, { secret: true, earlier: values });
  if (layer.has('COMPOSE_PROJECT_NAME')) {
    input.issues.push({ file: found.file, line: 0, column: 0, path: 'COMPOSE_PROJECT_NAME', message: 'a --secrets-dir file cannot name the project (its file name was chosen by the name)' });
  }
  for (const [key, value] of layer) values.set(key, value);
  return found.file;
}

function addDotenvLayer(
  values: Map<string, string | null>,
  file: string,
  input: DotenvLayerInput,
  options: { secret?: boolean; earlier?: ReadonlyMap<string, string | null> } = {},
): void {
  const read = input.secrets.readEnvFile(file);
  if (!read.ok) {
    input.issues.push({ file, line: 0, column: 0, path: '', message: read.message });
    return;
  }
  const lookup = (name: string) => input.environment[name] ?? values.get(name) ?? options.earlier?.get(name) ?? undefined;
  const parsed = parseDotenv(read.text, { lookup });
  const secret = read.secret || options.secret === true;
  for (const problem of parsed.errors) {
    input.issues.push({ file, line: problem.line, column: problem.column, path: '', message: secret ? withoutQuotedText(problem.message) : problem.message });
  }
  for (const [key, value] of parsed.values) values.set(key, value);
}

/** A parse problem's message without the text it quotes: in a secret file that text may be a value. */
export function withoutQuotedText(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, '(text withheld: secret file)');
}
