import { isAbsolute, resolve } from 'node:path';
import { rebasePaths, resolveExtends } from './compose/extends.js';
import { applyIncludes, type IncludeContext, type IncludedModel } from './compose/include.js';
import { loadComposeFile, readComposeFile, validateComposeFile, type ParsedFile } from './load-file.js';
import type { InterpolatedString } from './env/interpolate.js';
import type { ManifestIssue } from './manifest-issue.js';
import { mergeDocuments } from './compose/merge.js';
import type { RawService } from './schema/service.js';
import { createLocator, type YamlSource } from './yaml/yaml-source.js';

// A project's files (or an included project's) to one raw model: every YAML document of every file,
// validated, its includes applied, merged in order. Problems are collected, not thrown; the content is what
// validated (see salvage.ts), or null when some document could not be read at all.

export interface LoadedModel {
  content: Record<string, unknown> | null;
  /** Every document read, included files first: where problems found later are located. */
  sources: YamlSource[];
  issues: ManifestIssue[];
  warnings: ManifestIssue[];
  /** Included compose files and the env files read for them. */
  referencedFiles: string[];
  /** Strings of the project's own files that used a variable (field-level `.env` provenance). */
  interpolatedStrings: InterpolatedString[];
}

/** A service that stands in for one whose definition has problems, so its dependents still find it. */
export const STAND_IN_SERVICE: RawService = { image: 'composelet/invalid' };

export function loadModel(files: readonly ParsedFile[], context: IncludeContext): LoadedModel {
  const model: LoadedModel = { content: null, sources: [], issues: [], warnings: [], referencedFiles: [], interpolatedStrings: [] };
  const ownSources: YamlSource[] = [];
  let merged: Record<string, unknown> | undefined;
  let readable = true;
  for (const parsed of files) {
    const loaded = validateComposeFile(parsed, context.lookup);
    model.issues.push(...loaded.issues);
    model.warnings.push(...loaded.warnings);
    ownSources.push(...loaded.sources);
    model.interpolatedStrings.push(...loaded.interpolatedStrings);
    if (loaded.documents.length === 0) readable = false;
    for (const document of loaded.documents) {
      if (document.content === null) {
        readable = false;
        continue;
      }
      const included = applyIncludes(document.content as Record<string, unknown>, document.source, context, loadIncludedProject);
      model.sources.push(...included.sources);
      model.issues.push(...included.issues);
      model.warnings.push(...included.warnings);
      model.referencedFiles.push(...included.referencedFiles);
      if (!included.complete) readable = false;
      merged = merged === undefined ? included.document : mergeDocuments(merged, included.document);
    }
  }
  model.sources.push(...ownSources);
  model.content = readable && merged !== undefined ? merged : null;
  return model;
}

/** An included project: loaded like the main one, its `extends` resolved and relative paths made absolute
 * against its own project directory, as compose-go does before importing its resources. */
function loadIncludedProject(files: string[], context: IncludeContext): IncludedModel {
  const model = loadModel(files.map(readComposeFile), context);
  if (!model.content) return model;
  const locate = createLocator(model.sources);
  const extended = resolveExtends({
    file: files[0]!,
    services: (model.content.services ?? {}) as Record<string, RawService | null>,
    loadFile: (file) => {
      const other = loadComposeFile(file, context.lookup);
      model.issues.push(...other.issues);
      model.referencedFiles.push(file);
      return other.content;
    },
  });
  const services: Record<string, RawService> = {};
  for (const [name, service] of Object.entries(extended.services)) services[name] = rebasePaths(service, context.workingDir);
  for (const problem of extended.problems) {
    model.issues.push(locate(['services', problem.service, 'extends'], problem.message));
    services[problem.service] = STAND_IN_SERVICE;
  }
  const content: Record<string, unknown> = { ...model.content, services };
  for (const kind of ['secrets', 'configs'] as const) {
    const objects = content[kind] as Record<string, { file?: string } | null> | undefined | null;
    if (!objects) continue;
    content[kind] = Object.fromEntries(
      Object.entries(objects).map(([name, object]) => [
        name,
        object?.file !== undefined && !isAbsolute(object.file) ? { ...object, file: resolve(context.workingDir, object.file) } : object,
      ]),
    );
  }
  return { ...model, content };
}
