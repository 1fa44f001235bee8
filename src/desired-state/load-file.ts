import { readInputText } from './cache/recorded-reads.js';
import { checkBlankReferences } from './env/blank-variables.js';
import { interpolateTree, type InterpolatedString, type VariableLookup } from './env/interpolate.js';
import { dedupeIssues, formatPath, type ManifestIssue } from './manifest-issue.js';
import { mergeDocuments } from './compose/merge.js';
import { salvage } from './yaml/salvage.js';
import { issueMessage } from './schema/building-blocks.js';
import { composeFileSchema, type RawComposeFile } from './schema/compose-file.js';
import { issueAt, parseYamlDocuments, type YamlSource } from './yaml/yaml-source.js';

// One compose file, read, parsed, interpolated and validated against the schema. A file may hold several
// YAML documents (`---`), used in order as if they were consecutive files, as compose-go does. Every
// problem in the file is returned at once, each with its line and column.

export interface ParsedFile {
  file: string;
  /** One per non-empty YAML document, in order. */
  sources: YamlSource[];
  issues: ManifestIssue[];
}

export interface LoadedDocument {
  source: YamlSource;
  /** The validated content; when the document has problems, what validated of it (see salvage.ts), or
   * null when nothing could be kept. */
  content: RawComposeFile | null;
  /** True when the document has no problem at all. */
  complete: boolean;
}

export interface LoadedFile {
  file: string;
  sources: YamlSource[];
  documents: LoadedDocument[];
  /** The documents merged; null when the file has problems. */
  content: RawComposeFile | null;
  issues: ManifestIssue[];
  warnings: ManifestIssue[];
  /** Variables the file's interpolation found set (to know which values came from the environment). */
  usedVariables: Set<string>;
  /** Strings that used a variable, with their paths (to know which fields came from `.env`). */
  interpolatedStrings: InterpolatedString[];
}

// The last parse of each file, kept by its text: the controller reads its manifests again at every
// reconcile, and parsing the YAML was most of a no-op reconcile's time (bench/reconcile-scaling.ts).
// The text is read every time, so an edit is always seen; a parse is read-only to every caller
// (interpolation copies the tree). At most PARSE_CACHE_FILES files are kept.
const PARSE_CACHE_FILES = 64;
const lastParses = new Map<string, { text: string; parsed: ParsedFile }>();

export function readComposeFile(file: string): ParsedFile {
  let text: string;
  try {
    text = readInputText(file);
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { file, sources: [], issues: [{ file, line: 0, column: 0, path: '', message: cause }] };
  }
  const cached = lastParses.get(file);
  if (cached !== undefined && cached.text === text) return { file, sources: [...cached.parsed.sources], issues: [...cached.parsed.issues] };
  const { sources, issues } = parseYamlDocuments(file, text);
  const parsed = { file, sources, issues };
  lastParses.delete(file);
  lastParses.set(file, { text, parsed });
  if (lastParses.size > PARSE_CACHE_FILES) lastParses.delete(lastParses.keys().next().value!);
  return { file, sources: [...sources], issues: [...issues] };
}

export function loadComposeFile(file: string, lookup: VariableLookup): LoadedFile {
  return validateComposeFile(readComposeFile(file), lookup);
}

export function validateComposeFile(parsed: ParsedFile, lookup: VariableLookup): LoadedFile {
  const result: LoadedFile = {
    file: parsed.file,
    sources: parsed.sources,
    documents: [],
    content: null,
    issues: [...parsed.issues],
    warnings: [],
    usedVariables: new Set(),
    interpolatedStrings: [],
  };
  if (parsed.issues.length > 0) return result;
  for (const source of parsed.sources) {
    const document = validateDocument(source, lookup);
    result.documents.push(document.loaded);
    result.issues.push(...document.issues);
    result.warnings.push(...document.warnings);
    for (const name of document.usedVariables) result.usedVariables.add(name);
    result.interpolatedStrings.push(...document.interpolatedStrings);
  }
  result.issues = dedupeIssues(result.issues);
  if (result.issues.length === 0) {
    const contents = result.documents.map((document) => document.content as Record<string, unknown>);
    result.content = contents.slice(1).reduce((base, next) => mergeDocuments(base, next), contents[0]!) as RawComposeFile;
  }
  return result;
}

function validateDocument(source: YamlSource, lookup: VariableLookup) {
  const issues: ManifestIssue[] = [];
  const none = (message: string) => ({
    loaded: { source, content: null, complete: false },
    issues: [issueAt(source, [], message)],
    warnings: [],
    usedVariables: new Set<string>(),
    interpolatedStrings: [] as InterpolatedString[],
  });
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    return none('a compose file must be a map with a `services:` key at the top');
  }

  const interpolated = interpolateTree(source.value as Record<string, unknown>, lookup);
  const located = (problems: ReadonlyArray<{ path: Array<string | number>; message: string }>) =>
    problems.map((problem) => issueAt(source, problem.path, problem.message));
  issues.push(...located(interpolated.errors));
  const blankProblems = checkBlankReferences(interpolated.value, interpolated.blanks);
  issues.push(...located(blankProblems));
  // The variable that made a value empty says more than the schema's complaint about the empty value.
  const explained = new Set(blankProblems.map((problem) => formatPath(problem.path)));

  const parsed = composeFileSchema.safeParse(interpolated.value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path as Array<string | number>;
      if (!explained.has(formatPath(path))) issues.push(issueAt(source, path, issueMessage(issue)));
    }
  }
  let content: RawComposeFile | null = parsed.success ? parsed.data : null;
  if (issues.length > 0) {
    const problemPaths = [
      ...interpolated.errors.map((problem) => problem.path),
      ...blankProblems.map((problem) => problem.path),
      ...(parsed.success ? [] : parsed.error.issues.map((issue) => issue.path)),
    ];
    content = salvage(composeFileSchema, interpolated.value, problemPaths);
  }
  return {
    loaded: { source, content, complete: issues.length === 0 },
    issues,
    warnings: located(interpolated.warnings),
    usedVariables: interpolated.usedVariables,
    interpolatedStrings: interpolated.interpolatedStrings,
  };
}

