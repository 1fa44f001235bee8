import { homedir } from 'node:os';
import { discoverProjects } from './discover.js';
import { loadProject } from './load-project.js';
import { compareIssues, type ManifestIssue } from './manifest-issue.js';
import type { DesiredState, Project } from './model.js';
import type { SecretSources } from './secrets/secret-sources.js';
import type { ProjectLoadCache } from './cache/project-cache.js';
import type { Target } from '../swarm/target.js';

// The entry point of desired state: a PATH (compose file, project directory or manifests root) to the
// validated, normalized projects it holds, or every problem found, each with file, line and cause.

export interface LoadOptions {
  /** Compose files of one project, in merge order (`--file`), resolved against PATH. */
  files?: string[];
  projectName?: string;
  profiles?: readonly string[];
  /** Defaults to process.env. */
  environment?: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
  /** `--secrets-dir` and `--age-key-file`, opened (secrets/secret-sources.ts). */
  secrets?: SecretSources;
  /** Keeps each project's last good load for the next call (cache/project-cache.ts). */
  cache?: ProjectLoadCache;
  /** `--target`, over every project's own `x-composelet.target`. */
  target?: Target;
}

export type LoadResult =
  | { ok: true; state: DesiredState; warnings: ManifestIssue[] }
  | { ok: false; issues: ManifestIssue[]; warnings: ManifestIssue[] };

export function loadDesiredState(path: string, options: LoadOptions = {}): LoadResult {
  const discovery = discoverProjects(path, options.files ? { files: options.files } : {});
  if (!discovery.ok) return { ok: false, issues: discovery.issues, warnings: [] };
  const issues: ManifestIssue[] = [];
  const warnings: ManifestIssue[] = [];
  const projects: Project[] = [];
  if (options.projectName !== undefined && discovery.projects.length > 1) {
    return {
      ok: false,
      issues: [{ file: path, line: 0, column: 0, path: '--project-name', message: `--project-name names one project, but ${path} holds ${discovery.projects.length}` }],
      warnings,
    };
  }
  const environment = environmentFor(path, discovery.projects.length, options.environment ?? process.env, warnings);
  for (const source of discovery.projects) {
    const result = loadProject(source, {
      ...(options.projectName !== undefined ? { projectName: options.projectName } : {}),
      ...(options.profiles ? { profiles: options.profiles } : {}),
      environment,
      homeDir: options.homeDir ?? homedir(),
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
      ...(options.target ? { target: options.target } : {}),
    });
    warnings.push(...result.warnings);
    if (result.ok) projects.push(result.project);
    else issues.push(...result.issues);
  }
  const byName = new Map<string, Project>();
  for (const project of projects) {
    const twin = byName.get(project.name);
    if (twin) {
      issues.push({
        file: project.configFiles[0]!,
        line: 0,
        column: 0,
        path: 'name',
        message: `project name "${project.name}" is also used by ${twin.configFiles[0]}: project names must be unique`,
      });
    }
    byName.set(project.name, project);
  }
  if (issues.length > 0) return { ok: false, issues: issues.sort(compareIssues), warnings };
  return { ok: true, state: { projects: projects.sort((left, right) => left.name.localeCompare(right.name)) }, warnings };
}

/** COMPOSE_PROJECT_NAME names one project: across a manifests root of several it would give them all one
 * name, so there each project's own `.env`, `name:` or directory decides, and a warning says so. */
function environmentFor(
  path: string,
  projectCount: number,
  environment: Readonly<Record<string, string | undefined>>,
  warnings: ManifestIssue[],
): Readonly<Record<string, string | undefined>> {
  if (projectCount <= 1 || !environment.COMPOSE_PROJECT_NAME) return environment;
  warnings.push({
    file: path,
    line: 0,
    column: 0,
    path: 'COMPOSE_PROJECT_NAME',
    message: `ignored: it names one project, but ${path} holds ${projectCount}; each takes its name from its own .env, \`name:\` or directory`,
  });
  return { ...environment, COMPOSE_PROJECT_NAME: undefined };
}
