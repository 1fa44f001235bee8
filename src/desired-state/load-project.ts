import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectSource } from './discover.js';
import { parseDotenv } from './dotenv.js';
import { resolveExtends } from './extends.js';
import { buildDependencyGraph } from './graph.js';
import type { VariableLookup } from './interpolate.js';
import { loadComposeFile, type LoadedFile } from './load-file.js';
import { compareIssues, type ManifestIssue } from './manifest-issue.js';
import { mergeDocuments } from './merge.js';
import type { Project, Service } from './model.js';
import { normalizeFileObjects, normalizeNetworks, normalizeVolumes } from './normalize-resources.js';
import { withFileContentHashes } from './file-content-hash.js';
import { normalizeService } from './normalize-service.js';
import { isValidProjectName, normalizeProjectName } from './project-name.js';
import type { RawComposeFile } from './schema/compose-file.js';
import type { RawService } from './schema/service.js';
import { checkFileObjects, checkPortConflicts, checkServices, reportCycles } from './semantic-checks.js';
import { createLocator, type YamlSource } from './yaml-source.js';
import { resolveBackupDefinitions } from '../backup/definitions/resolve.js';

// One project from its compose files to the typed model: `.env` and the process environment, each file
// parsed, interpolated and validated, merged in order, `extends` resolved, profiles applied, services
// normalized, then checked as a whole. Every problem of every file is collected before failing.

export interface ProjectLoadOptions {
  /** Used when the manifest has no `name:`. */
  projectName?: string;
  /** Active profiles (added to COMPOSE_PROFILES from the environment). */
  profiles?: readonly string[];
  /** The environment composelet runs in; wins over `.env`, as in Compose. */
  environment: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

export type ProjectLoadResult =
  | { ok: true; project: Project; warnings: ManifestIssue[] }
  | { ok: false; issues: ManifestIssue[]; warnings: ManifestIssue[] };

export function loadProject(source: ProjectSource, options: ProjectLoadOptions): ProjectLoadResult {
  const issues: ManifestIssue[] = [];
  const warnings: ManifestIssue[] = [];
  const fail = (): ProjectLoadResult => ({ ok: false, issues: issues.sort(compareIssues), warnings });

  const dotenv = readDotenv(join(source.workingDir, '.env'), options.environment, issues);
  const lookup: VariableLookup = (name) => options.environment[name] ?? dotenv.get(name) ?? undefined;

  const loaded = source.files.map((file) => loadComposeFile(file, lookup));
  for (const file of loaded) {
    issues.push(...file.issues);
    warnings.push(...file.warnings);
  }
  if (issues.length > 0) return fail();
  const sources = loaded.map((file) => file.source!);
  const contents = loaded.map((file) => file.content!);

  const merged = contents
    .slice(1)
    .reduce<Record<string, unknown>>((base, next) => mergeDocuments(base, next as Record<string, unknown>), contents[0]! as Record<string, unknown>) as RawComposeFile;

  const nameFromManifest = merged.name;
  const projectName = nameFromManifest ?? options.projectName ?? normalizeProjectName(source.directoryName);
  if (!isValidProjectName(projectName)) {
    const written = options.projectName !== undefined && nameFromManifest === undefined;
    issues.push({
      file: source.files[0]!,
      line: 0,
      column: 0,
      path: written ? '--project-name' : '',
      message: `"${projectName}" is not a valid project name: use lower-case letters, digits, "-" and "_", starting with a letter or digit${written ? '' : ' (set `name:` in the file or pass --project-name)'}`,
    });
    return fail();
  }

  const extraSources: YamlSource[] = [];
  const otherFiles = new Map<string, LoadedFile>();
  const extended = resolveExtends({
    file: source.files[0]!,
    services: (merged.services ?? {}) as Record<string, RawService | null>,
    loadFile: (file) => {
      let other = otherFiles.get(file);
      if (!other) {
        other = loadComposeFile(file, lookup);
        otherFiles.set(file, other);
        issues.push(...other.issues);
        if (other.source) extraSources.push(other.source);
      }
      return other.content;
    },
  });
  const locate = createLocator([...extraSources, ...sources]);
  const report = (path: Array<string | number>, message: string) => issues.push(locate(path, message));
  for (const problem of extended.problems) report(['services', problem.service, 'extends'], problem.message);
  if (issues.length > 0) return fail();

  const activeProfiles = new Set([
    ...(options.profiles ?? []),
    ...(options.environment.COMPOSE_PROFILES ?? '').split(',').map((profile) => profile.trim()).filter(Boolean),
  ]);
  const isActive = (service: RawService) =>
    !service.profiles || service.profiles.length === 0 || activeProfiles.has('*') || service.profiles.some((profile) => activeProfiles.has(profile));

  const services: Record<string, Service> = {};
  const inactiveServices: string[] = [];
  const normalizeContext = {
    workingDir: source.workingDir,
    homeDir: options.homeDir,
    lookup,
    report,
    projectHealing: merged['x-composelet']?.healing,
  };
  for (const name of Object.keys(extended.services).sort()) {
    const raw = extended.services[name]!;
    if (!isActive(raw)) {
      inactiveServices.push(name);
      continue;
    }
    services[name] = normalizeService(name, raw, normalizeContext);
  }

  const serviceList = Object.values(services);
  const projectWithoutGraph: Omit<Project, 'graph'> = withFileContentHashes({
    name: projectName,
    workingDir: source.workingDir,
    configFiles: [...source.files],
    services,
    inactiveServices,
    networks: normalizeNetworks(projectName, merged.networks, serviceList),
    volumes: normalizeVolumes(projectName, merged.volumes),
    secrets: normalizeFileObjects(projectName, merged.secrets, source.workingDir, lookup),
    configs: normalizeFileObjects(projectName, merged.configs, source.workingDir, lookup),
    composelet: merged['x-composelet'] ?? {},
  });
  checkServices(projectWithoutGraph, report);
  checkFileObjects(projectWithoutGraph, report);
  checkPortConflicts(serviceList, report);

  const edges: Record<string, string[]> = {};
  for (const service of serviceList) {
    const targets = Object.keys(service.dependsOn).filter((name) => name in services);
    if (service.networkMode?.startsWith('service:')) targets.push(service.networkMode.slice('service:'.length));
    edges[service.name] = targets.filter((name) => name in services);
  }
  const graph = buildDependencyGraph(Object.keys(services), edges);
  if (!graph.ok) reportCycles(graph.cycles, report);
  if (issues.length > 0 || !graph.ok) return fail();
  const project: Project = { ...projectWithoutGraph, graph: graph.graph };
  // Backup definitions that the schema cannot check alone (the service or volume they name exists).
  for (const problem of resolveBackupDefinitions(project).problems) report(problem.path, problem.message);
  if (issues.length > 0) return fail();
  return { ok: true, project, warnings };
}

function readDotenv(
  file: string,
  environment: ProjectLoadOptions['environment'],
  issues: ManifestIssue[],
): Map<string, string | null> {
  if (!existsSync(file)) return new Map();
  const parsed = parseDotenv(readFileSync(file, 'utf8'), { lookup: (name) => environment[name] });
  for (const problem of parsed.errors) {
    issues.push({ file, line: problem.line, column: problem.column, path: '', message: problem.message });
  }
  return parsed.values;
}
