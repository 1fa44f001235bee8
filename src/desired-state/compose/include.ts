import { inputExists, readInputText, statInput } from '../cache/recorded-reads.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import { canonicalJson } from '../canonical-json.js';
import { parseDotenv } from '../env/dotenv.js';
import type { VariableLookup } from '../env/interpolate.js';
import type { ManifestIssue } from '../manifest-issue.js';
import { toIncludeEntry, type IncludeEntry, type RawInclude } from '../schema/include.js';
import { createLocator, issueAt, type YamlSource } from '../yaml/yaml-source.js';

// `include:` as compose-go applies it (loader/include.go): each entry is loaded as a project of its own,
// with its own project directory (where its relative paths resolve) and env file (its directory's `.env`
// unless `env_file` names others; the including project's environment wins over them), and its services,
// networks, volumes, secrets and configs are added to the document that includes it. A resource the
// including document defines too is a conflict (unless both definitions are the same); so is including a
// file that is already being included (a cycle).

export const IMPORTED_KINDS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

export interface IncludeContext {
  /** Where the including project's relative paths (and include paths) resolve. */
  workingDir: string;
  lookup: VariableLookup;
  /** The including files being loaded, outermost first. */
  includeChain: readonly string[];
}

/** An included project, loaded: content with extends resolved and relative paths made absolute. */
export interface IncludedModel {
  content: Record<string, unknown> | null;
  sources: YamlSource[];
  issues: ManifestIssue[];
  warnings: ManifestIssue[];
  referencedFiles: string[];
}

export type LoadIncluded = (files: string[], context: IncludeContext) => IncludedModel;

export interface IncludeResult {
  /** The document with the included resources added and `include` removed. */
  document: Record<string, unknown>;
  sources: YamlSource[];
  issues: ManifestIssue[];
  warnings: ManifestIssue[];
  referencedFiles: string[];
  /** False when an included file could not be read at all (the project cannot be checked as a whole). */
  complete: boolean;
}

export function applyIncludes(
  document: Record<string, unknown>,
  source: YamlSource,
  context: IncludeContext,
  loadIncluded: LoadIncluded,
): IncludeResult {
  const { include, ...rest } = document as Record<string, unknown> & { include?: RawInclude };
  const result: IncludeResult = { document: rest, sources: [], issues: [], warnings: [], referencedFiles: [], complete: true };
  const origins = new Map<string, string>();
  (include ?? []).forEach((raw, index) => {
    const entry = toIncludeEntry(raw);
    const at = ['include', index];
    const report = (path: Array<string | number>, message: string) => result.issues.push(issueAt(source, path, message));
    const files = entry.paths.map((path) => resolve(context.workingDir, path));
    const main = files[0];
    if (main === undefined) return report([...at, 'path'], 'names no file');
    const chain = [...context.includeChain, source.file];
    if (chain.includes(main)) {
      result.complete = false;
      return report(at, `include cycle: ${[...chain, main].join(' -> ')}`);
    }
    const missing = files.filter((file) => !isFile(file));
    if (missing.length > 0) {
      result.complete = false;
      return report(at, missing.map((file) => `${file}: no such file`).join('; '));
    }
    const projectDirectory = projectDirectoryOf(entry, main, context.workingDir);
    const environment = readIncludeEnvironment(entry, projectDirectory, context, (message) => report([...at, 'env_file'], message));
    result.issues.push(...environment.issues);
    result.referencedFiles.push(...files, ...environment.files);
    const included = loadIncluded(files, { workingDir: projectDirectory, lookup: environment.lookup, includeChain: chain });
    result.sources.push(...included.sources);
    result.issues.push(...included.issues);
    result.warnings.push(...included.warnings);
    result.referencedFiles.push(...included.referencedFiles);
    if (!included.content) {
      result.complete = false;
      return;
    }
    const locateImported = createLocator(included.sources);
    for (const kind of IMPORTED_KINDS) {
      const imported = included.content[kind];
      if (!isRecord(imported)) continue;
      const target = isRecord(result.document[kind]) ? { ...(result.document[kind] as Record<string, unknown>) } : {};
      for (const [name, definition] of Object.entries(imported)) {
        const where = locateImported([kind, name], '');
        const origin = `${where.file}:${where.line}`;
        if (name in target && !sameDefinition(target[name], definition)) {
          const earlier = origins.get(`${kind}.${name}`);
          // Defined by the including document itself: point there; imported twice: point at this entry.
          report(
            earlier ? at : [kind, name],
            `conflicts with imported resource ${kind}.${name} defined in ${origin}${earlier ? ` (already imported from ${earlier})` : ''}: define it in one file only`,
          );
          continue;
        }
        target[name] = definition;
        origins.set(`${kind}.${name}`, origin);
      }
      result.document[kind] = target;
    }
  });
  return result;
}

function projectDirectoryOf(entry: IncludeEntry, main: string, workingDir: string): string {
  if (entry.projectDirectory === null) return dirname(main);
  return resolve(workingDir, entry.projectDirectory);
}

/** The included project's variables: the including project's environment, then its env file(s). */
function readIncludeEnvironment(
  entry: IncludeEntry,
  projectDirectory: string,
  context: IncludeContext,
  reportMissing: (message: string) => void,
): { lookup: VariableLookup; files: string[]; issues: ManifestIssue[] } {
  const files: string[] = [];
  if (entry.envFiles.length === 0) {
    const dotenv = resolve(projectDirectory, '.env');
    if (isFile(dotenv)) files.push(dotenv);
  } else {
    for (const file of entry.envFiles) {
      if (file === '/dev/null') continue;
      const path = isAbsolute(file) ? file : resolve(context.workingDir, file);
      if (isFile(path)) files.push(path);
      else reportMissing(`env file ${path}: ${inputExists(path) ? 'not a file' : 'no such file'}`);
    }
  }
  const values = new Map<string, string>();
  const issues: ManifestIssue[] = [];
  for (const file of files) {
    const parsed = parseDotenv(readInputText(file), { lookup: (name) => context.lookup(name) ?? values.get(name) });
    for (const problem of parsed.errors) issues.push({ file, line: problem.line, column: problem.column, path: '', message: problem.message });
    for (const [key, value] of parsed.values) {
      const resolved = value ?? context.lookup(key);
      if (resolved !== undefined) values.set(key, resolved);
    }
  }
  return { lookup: (name) => context.lookup(name) ?? values.get(name), files, issues };
}

function sameDefinition(left: unknown, right: unknown): boolean {
  return canonicalJson(left) === canonicalJson(right);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFile(path: string): boolean {
  try {
    return statInput(path).isFile();
  } catch {
    return false;
  }
}
