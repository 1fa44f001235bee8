// Project names as Compose v2 makes them: lower-case letters, digits, "-" and "_", starting with a letter or
// digit. A name given imperatively (--project-name, COMPOSE_PROJECT_NAME) must already be valid; one written
// as `name:` in the files or taken from the directory is normalized (compose-go's NormalizeProjectName).

const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function isValidProjectName(name: string): boolean {
  return VALID_PROJECT_NAME.test(name);
}

export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

export interface ProjectNameSources {
  /** `--project-name`. */
  flag?: string | undefined;
  /** COMPOSE_PROJECT_NAME from the environment composelet runs in. */
  environment?: string | undefined;
  /** COMPOSE_PROJECT_NAME from the project's `.env`. */
  dotenv?: string | undefined;
  /** The last non-empty top-level `name:` of the files, interpolated. */
  manifest?: string | undefined;
  directoryName: string;
}

/** Where the name came from: the option or variable to name in an error. */
export type ProjectNameOrigin = '--project-name' | 'COMPOSE_PROJECT_NAME' | 'name' | 'directory';

export type ProjectNameResult =
  | { ok: true; name: string; origin: ProjectNameOrigin }
  | { ok: false; origin: ProjectNameOrigin; message: string };

/** Compose v2's order: -p, COMPOSE_PROJECT_NAME (environment, then .env), `name:`, the directory name. */
export function resolveProjectName(sources: ProjectNameSources): ProjectNameResult {
  const imperative: Array<[ProjectNameOrigin, string | undefined]> = [
    ['--project-name', sources.flag],
    ['COMPOSE_PROJECT_NAME', sources.environment],
    ['COMPOSE_PROJECT_NAME', sources.dotenv],
  ];
  for (const [origin, name] of imperative) {
    if (name === undefined || name === '') continue;
    if (isValidProjectName(name)) return { ok: true, name, origin };
    return { ok: false, origin, message: `"${name}" is not a valid project name: use lower-case letters, digits, "-" and "_", starting with a letter or digit` };
  }
  const fromManifest = normalizeProjectName(sources.manifest ?? '');
  if (fromManifest !== '') return { ok: true, name: fromManifest, origin: 'name' };
  const fromDirectory = normalizeProjectName(sources.directoryName);
  if (fromDirectory !== '') return { ok: true, name: fromDirectory, origin: 'directory' };
  return {
    ok: false,
    origin: 'directory',
    message: `no project name: the directory name "${sources.directoryName}" holds no letter or digit (set \`name:\` in the file or pass --project-name)`,
  };
}
