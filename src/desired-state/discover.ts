import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ManifestIssue } from './manifest-issue.js';

// Where the projects are. PATH may be a compose file, a project directory, or a manifests root whose
// subdirectories are projects; `--file` given several times names one project's files in merge order.

export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;
const OVERRIDE_FILE_NAMES: Record<string, string[]> = {
  'compose.yaml': ['compose.override.yaml', 'compose.override.yml'],
  'compose.yml': ['compose.override.yml', 'compose.override.yaml'],
  'docker-compose.yaml': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
  'docker-compose.yml': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
};

export interface ProjectSource {
  /** Directory relative paths resolve against: the first file's directory. */
  workingDir: string;
  /** Absolute compose file paths, in merge order. */
  files: string[];
  /** The directory name, from which a project name is derived when nothing else names it. */
  directoryName: string;
}

export type Discovery = { ok: true; projects: ProjectSource[] } | { ok: false; issues: ManifestIssue[] };

export function discoverProjects(path: string, options: { files?: string[] } = {}): Discovery {
  if (options.files && options.files.length > 0) {
    const files = options.files.map((file) => resolve(path, file));
    const missing = files.filter((file) => !isFile(file));
    if (missing.length > 0) return { ok: false, issues: missing.map((file) => fileIssue(file, 'no such file')) };
    return { ok: true, projects: [projectOf(files)] };
  }
  const absolute = resolve(path);
  if (!existsSync(absolute)) return { ok: false, issues: [fileIssue(absolute, 'no such file or directory')] };
  if (isFile(absolute)) return { ok: true, projects: [projectOf([absolute])] };
  const own = projectInDirectory(absolute);
  if (own) return { ok: true, projects: [own] };
  const projects = readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => projectInDirectory(join(absolute, entry.name)))
    .filter((project): project is ProjectSource => project !== null)
    .sort((left, right) => left.workingDir.localeCompare(right.workingDir));
  if (projects.length === 0) {
    return {
      ok: false,
      issues: [
        fileIssue(
          absolute,
          `no compose file here (${COMPOSE_FILE_NAMES.join(', ')}), nor in any subdirectory: point at a compose file, a project directory or a manifests root`,
        ),
      ],
    };
  }
  return { ok: true, projects };
}

export function projectInDirectory(directory: string): ProjectSource | null {
  for (const name of COMPOSE_FILE_NAMES) {
    const file = join(directory, name);
    if (!isFile(file)) continue;
    const override = (OVERRIDE_FILE_NAMES[name] ?? []).map((candidate) => join(directory, candidate)).find(isFile);
    return projectOf(override ? [file, override] : [file]);
  }
  return null;
}

function projectOf(files: string[]): ProjectSource {
  const workingDir = dirname(files[0]!);
  return { workingDir, files, directoryName: basename(workingDir) };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function fileIssue(file: string, message: string): ManifestIssue {
  return { file, line: 0, column: 0, path: '', message };
}
