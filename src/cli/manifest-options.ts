import { z } from 'zod';
import { InvalidManifestError, UsageError } from '../errors/kinds.js';
import { loadDesiredState, type LoadResult } from '../desired-state/load.js';
import { formatIssue } from '../desired-state/manifest-issue.js';
import type { DesiredState } from '../desired-state/model.js';
import { openSecretSources, type SecretSources } from '../desired-state/secrets/secret-sources.js';
import type { CliIo, Command, OptionValues } from './command.js';
import { parseTarget, type Target } from '../swarm/target.js';
import { warningsToPrint } from '../swarm/validate/one-host-warnings.js';

// The options every command that reads manifests shares: PATH, --file, --project-name, --profile,
// --secrets-dir, --age-key-file.

export const manifestOptions: Command['options'] = {
  file: { type: 'string', short: 'f', multiple: true },
  'project-name': { type: 'string', short: 'p' },
  profile: { type: 'string', multiple: true },
  'secrets-dir': { type: 'string' },
  'age-key-file': { type: 'string' },
};

export const MANIFEST_OPTIONS_HELP = `  -f, --file FILE          a compose file; repeat to merge several in order (PATH is then the base directory)
  -p, --project-name NAME  project name; wins over COMPOSE_PROJECT_NAME (environment, then .env), the
                           file's \`name:\` and the directory name, in that order, as in Compose v2
      --profile NAME       enable a profile; repeat for several (COMPOSE_PROFILES is read too)
      --secrets-dir DIR    DIR/<project name>.env is read as the project's .env, over the checkout's
                           (.env, .env.age, .sops.env); owner-only files (chmod 600)
      --age-key-file FILE  age identities (age-keygen) that decrypt age and SOPS env files in memory;
                           owner-only (chmod 600)`;

export function loadFromOptions(
  input: { positionals: string[]; values: OptionValues },
  io: CliIo,
  options: { defaultPath?: string } = {},
): { path: string; result: LoadResult } {
  // A one-shot command validates each file once: zod's compiled fast path (generated with new Function
  // on a schema's first parse) costs more to build than it saves here. The controller does not load
  // through this function and keeps it.
  z.config({ jitless: true });
  const [path = options.defaultPath, ...extra] = input.positionals;
  if (path === undefined) throw new UsageError('missing PATH: a compose file, a project directory or a manifests root');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const files = input.values.file as string[] | undefined;
  const projectName = input.values['project-name'] as string | undefined;
  const profiles = input.values.profile as string[] | undefined;
  const target = targetOption(input.values);
  const result = loadDesiredState(path, {
    secrets: secretSourcesFromOptions(input.values, io.cwd),
    ...(files ? { files } : {}),
    ...(projectName !== undefined ? { projectName } : {}),
    ...(profiles ? { profiles } : {}),
    ...(target ? { target } : {}),
    environment: io.env,
  });
  return { path, result };
}

/** --secrets-dir and --age-key-file, opened (the key file read and both mode-checked), or a UsageError. */
export function secretSourcesFromOptions(values: OptionValues, cwd: string): SecretSources {
  const secretsDir = values['secrets-dir'] as string | undefined;
  const ageKeyFile = values['age-key-file'] as string | undefined;
  const opened = openSecretSources({ ...(secretsDir !== undefined ? { secretsDir } : {}), ...(ageKeyFile !== undefined ? { ageKeyFile } : {}) }, cwd);
  if (!opened.ok) throw new UsageError(opened.message);
  return opened.sources;
}

/** Loads or throws InvalidManifestError (terminal: the caller reports it and touches nothing). */
export function loadOrThrow(input: { positionals: string[]; values: OptionValues }, io: CliIo): DesiredState {
  const { result } = loadFromOptions(input, io);
  printWarnings(warningsToPrint(result, targetOption(input.values)), io);
  if (!result.ok) throw new InvalidManifestError(result.issues);
  return result.state;
}

export function printWarnings(warnings: LoadResult['warnings'], io: CliIo): void {
  for (const warning of warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
}

/** `--target` of the commands that have it; undefined when absent or invalid (the command reports that). */
export function targetOption(values: OptionValues): Target | undefined {
  const target = parseTarget(values['target'] as string | undefined);
  return target instanceof Error ? undefined : target;
}
