import type { ProjectSource } from './discover.js';
import { dotenvProvenanceOf } from './env/dotenv-provenance.js';
import { listOrDictToMap } from './schema/building-blocks.js';
import { resolveExtends } from './compose/extends.js';
import { buildDependencyGraph } from './graph.js';
import { interpolateString, type VariableLookup } from './env/interpolate.js';
import { loadComposeFile, readComposeFile, type LoadedFile, type ParsedFile } from './load-file.js';
import { loadModel, STAND_IN_SERVICE } from './load-model.js';
import { compareIssues, type ManifestIssue } from './manifest-issue.js';
import type { Project, Service } from './model.js';
import { normalizeFileObjects, normalizeNetworks, normalizeVolumes } from './normalize/normalize-resources.js';
import { withFileContentHashes } from './file-content-hash.js';
import { normalizeService } from './normalize/normalize-service.js';
import { resolveProjectName } from './compose/project-name.js';
import type { RawComposeFile } from './schema/compose-file.js';
import type { RawService } from './schema/service.js';
import { targetOf, type Target } from '../swarm/target.js';
import { checkFileObjects, checkPortConflicts, checkServices, reportCycles } from './normalize/semantic-checks.js';
import { createLocator, type YamlSource } from './yaml/yaml-source.js';
import { resolveBackupDefinitions } from '../backup/definitions/resolve.js';
import { addSecretsDirLayer, readProjectDotenv } from './secrets/project-dotenv.js';
import { NO_SECRET_SOURCES, type SecretSources } from './secrets/secret-sources.js';
import { rememberRawDocuments } from './raw-documents.js';
import type { ProjectLoadCache } from './cache/project-cache.js';
import { recordingReads } from './cache/recorded-reads.js';

// One project from its compose files to the typed model: `.env` and the process environment, the project
// name (Compose v2's order), each file parsed, interpolated and validated, includes applied, merged in
// order, `extends` resolved, profiles applied, services normalized, then checked as a whole. Every problem
// of every file is collected before failing; the checks across the project run on whatever validated, so
// an unknown key does not hide an undefined dependency.

export interface ProjectLoadOptions {
  /** `--project-name`: wins over everything else, as in Compose. */
  projectName?: string;
  /** Active profiles (added to COMPOSE_PROFILES from the environment). */
  profiles?: readonly string[];
  /** The environment composelet runs in; wins over `.env`, as in Compose. */
  environment: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** `--secrets-dir` and `--age-key-file` (default: plain files only, encrypted ones refused). */
  secrets?: SecretSources;
  /** The last good loads, reused while their inputs are unchanged (cache/project-cache.ts). */
  cache?: ProjectLoadCache;
  /** `--target`: wins over the project's `x-composelet.target` (one-engine checks such as host port clashes
   * do not apply on Swarm). */
  target?: Target;
}

export type ProjectLoadResult =
  | { ok: true; project: Project; warnings: ManifestIssue[] }
  | { ok: false; issues: ManifestIssue[]; warnings: ManifestIssue[] };

export function loadProject(source: ProjectSource, options: ProjectLoadOptions): ProjectLoadResult {
  const { cache } = options;
  if (!cache) return loadProjectFromFiles(source, options);
  const kept = cache.lookup(source, options);
  if (kept) return kept;
  const { result, reads } = recordingReads(() => loadProjectFromFiles(source, options));
  cache.store(source, options, result, reads);
  return result;
}

function loadProjectFromFiles(source: ProjectSource, options: ProjectLoadOptions): ProjectLoadResult {
  const issues: ManifestIssue[] = [];
  const warnings: ManifestIssue[] = [];
  const fail = (): ProjectLoadResult => ({ ok: false, issues: issues.sort(compareIssues), warnings });

  const secrets = options.secrets ?? NO_SECRET_SOURCES;
  const dotenvInput = { environment: options.environment, secrets, issues };
  const dotenv = readProjectDotenv(source.workingDir, dotenvInput);
  const environmentLookup: VariableLookup = (name) => options.environment[name] ?? dotenv.get(name) ?? undefined;
  const parsedFiles = source.files.map(readComposeFile);
  const resolvedName = resolveProjectName({
    flag: options.projectName,
    environment: options.environment.COMPOSE_PROJECT_NAME,
    dotenv: dotenv.get('COMPOSE_PROJECT_NAME') ?? undefined,
    manifest: nameInFiles(parsedFiles, environmentLookup),
    directoryName: source.directoryName,
  });
  if (!resolvedName.ok) {
    const path = resolvedName.origin === 'directory' ? '' : resolvedName.origin;
    issues.push({ file: source.files[0]!, line: 0, column: 0, path, message: resolvedName.message });
    return fail();
  }
  const projectName = resolvedName.name;
  const secretsDirFile = addSecretsDirLayer(dotenv, projectName, dotenvInput);
  // Compose v2 sets COMPOSE_PROJECT_NAME to the name it resolved, for interpolation in the files.
  const lookup: VariableLookup = (name) => (name === 'COMPOSE_PROJECT_NAME' ? projectName : environmentLookup(name));

  const model = loadModel(parsedFiles, { workingDir: source.workingDir, lookup, includeChain: [] });
  issues.push(...model.issues);
  warnings.push(...model.warnings);
  // A document that could not be read at all: checking the rest as a project would only add noise.
  if (model.content === null) return fail();
  const merged = model.content as RawComposeFile;

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
        extraSources.push(...other.sources);
      }
      return other.content;
    },
  });
  const locate = createLocator([...extraSources, ...model.sources]);
  const report = (path: Array<string | number>, message: string) => issues.push(locate(path, message));
  for (const problem of extended.problems) {
    report(['services', problem.service, 'extends'], problem.message);
    extended.services[problem.service] = STAND_IN_SERVICE;
  }

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
    warn: (path: Array<string | number>, message: string, options?: { oneHostOnly?: boolean }) =>
      warnings.push({ ...locate(path, message), ...(options?.oneHostOnly ? { oneHostOnly: true as const } : {}) }),
    projectHealing: merged['x-composelet']?.healing,
    projectLogging: merged['x-composelet']?.logging,
    readEnvFile: secrets.readEnvFile,
  };
  const interpolatedStrings = [...model.interpolatedStrings, ...[...otherFiles.values()].flatMap((file) => file.interpolatedStrings)];
  for (const name of Object.keys(extended.services).sort()) {
    const raw = extended.services[name]!;
    if (!isActive(raw)) {
      inactiveServices.push(name);
      continue;
    }
    const service = normalizeService(name, raw, normalizeContext);
    const environmentWithoutValue = Object.entries(listOrDictToMap(raw.environment))
      .filter(([, value]) => value === null)
      .map(([key]) => key);
    const fromDotenv = dotenvProvenanceOf({ service, interpolatedStrings, dotenvNames: new Set(dotenv.keys()), environmentWithoutValue, lookup });
    services[name] = { ...service, fromDotenv };
  }

  const serviceList = Object.values(services);
  const projectWithoutGraph: Omit<Project, 'graph'> = withFileContentHashes({
    name: projectName,
    workingDir: source.workingDir,
    configFiles: [...source.files],
    referencedFiles: [...new Set([...model.referencedFiles, ...otherFiles.keys(), ...(secretsDirFile ? [secretsDirFile] : [])])].sort(),
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
  checkPortConflicts(serviceList, report, targetOf(projectWithoutGraph, options.target) === 'engine');

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
  rememberRawDocuments(project, singleDocuments([...parsedFiles, ...otherFiles.values()]));
  // Backup definitions that the schema cannot check alone (the service or volume they name exists).
  for (const problem of resolveBackupDefinitions(project).problems) report(problem.path, problem.message);
  if (issues.length > 0) return fail();
  return { ok: true, project, warnings };
}

/** File -> its document's value, for files of exactly one document. */
function singleDocuments(files: ReadonlyArray<{ file: string; sources: readonly YamlSource[] }>): Map<string, unknown> {
  const documents = new Map<string, unknown>();
  for (const file of files) if (file.sources.length === 1) documents.set(file.file, file.sources[0]!.value);
  return documents;
}

/** The last non-empty top-level `name:` of the files' documents, interpolated (compose-go reads it so,
 * before anything else, to know the name `${COMPOSE_PROJECT_NAME}` stands for). */
function nameInFiles(files: readonly ParsedFile[], lookup: VariableLookup): string | undefined {
  let name: string | undefined;
  for (const file of files) {
    for (const source of file.sources) {
      const value = (source.value as Record<string, unknown> | null)?.name;
      if (typeof value === 'string' && value !== '') name = value;
    }
  }
  return name === undefined ? undefined : interpolateString(name, lookup).value;
}
