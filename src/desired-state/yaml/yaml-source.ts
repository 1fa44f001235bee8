import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import type { ManifestIssue } from '../manifest-issue.js';
import { dedupeIssues, formatPath } from '../manifest-issue.js';
import { explainIndentation } from './yaml-indentation.js';

// One compose file parsed as YAML, kept with its syntax tree so that any problem found later (in
// validation, in semantic checks) can be traced back to a line and column.

/** Alias expansion budget: a legitimate compose file stays far below it; "billion laughs" hits it at once. */
const MAX_ALIAS_COUNT = 1000;

export interface YamlSource {
  file: string;
  document: Document;
  lineCounter: LineCounter;
  /** The document as plain data (merge keys applied, aliases expanded); undefined when it failed to parse. */
  value: unknown;
}

export interface Position {
  line: number;
  column: number;
}

const PARSE_OPTIONS = { merge: true, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false } as const;

/** A file holding one YAML document (a second one is an error). */
export function parseYamlSource(file: string, text: string): { source: YamlSource; issues: ManifestIssue[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  const { source, issues } = toSource(file, text, document, lineCounter);
  if (issues.length === 0 && source.value === undefined) issues.push(emptyFileIssue(file));
  return { source, issues };
}

/**
 * A file of one or more YAML documents (separated by `---`), as compose-go reads it: each document is
 * used in order. Empty documents are skipped; a file with no document holding anything is an error.
 */
export function parseYamlDocuments(file: string, text: string): { sources: YamlSource[]; issues: ManifestIssue[] } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const documents = Array.isArray(parsed) ? parsed : [];
  const sources: YamlSource[] = [];
  const issues: ManifestIssue[] = [];
  for (const document of documents) {
    const result = toSource(file, text, document, lineCounter);
    issues.push(...result.issues);
    if (result.issues.length === 0 && result.source.value !== undefined) sources.push(result.source);
  }
  if (issues.length === 0 && sources.length === 0) issues.push(emptyFileIssue(file));
  return { sources, issues: dedupeIssues(issues) };
}

function emptyFileIssue(file: string): ManifestIssue {
  return { file, line: 1, column: 1, path: '', message: 'the file is empty: a compose file needs at least `services:`' };
}

/** One parsed document as a YamlSource; `value` stays undefined when the document is empty or broken. */
function toSource(file: string, text: string, document: Document, lineCounter: LineCounter): { source: YamlSource; issues: ManifestIssue[] } {
  const issues: ManifestIssue[] = [];
  for (const error of document.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    // An unclosed `[` or `{` also reads as bad indentation to the parser: its own message says so.
    const explained = /\bflow (sequence|mapping)\b/i.test(error.message) ? null : explainIndentation(text, line, error.code);
    if (explained) {
      issues.push({ file, line: explained.line, column: explained.column, path: formatPath(explained.path), message: explained.message });
      continue;
    }
    const message =
      error.code === 'DUPLICATE_KEY'
        ? `duplicate key ${JSON.stringify(duplicateKeyAt(text, error.pos[0]))}`
        : `invalid YAML: ${firstLine(error.message)}`;
    issues.push({ file, line, column: col, path: '', message });
  }
  let value: unknown;
  const empty = document.contents === null || (isScalar(document.contents) && document.contents.value === null);
  if (issues.length === 0 && !empty) {
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      issues.push({
        file,
        line: 1,
        column: 1,
        path: '',
        message: /alias/i.test(cause)
          ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}): the anchors and aliases expand exponentially`
          : `invalid YAML: ${cause}`,
      });
    }
  }
  return { source: { file, document, lineCounter, value }, issues };
}


function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function duplicateKeyAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  const match = /^\s*("[^"]*"|'[^']*'|[^:\n]+?)\s*:/.exec(rest);
  return match ? match[1]!.replace(/^["']|["']$/g, '') : rest.split('\n')[0]!.trim();
}

/**
 * Where a path points in the file: the key of the deepest map entry (or the item of the deepest sequence)
 * that exists along the path. `found` says whether the whole path exists.
 */
export function locate(
  source: YamlSource,
  path: ReadonlyArray<string | number>,
): Position & { found: boolean; depth: number } {
  let node: unknown = source.document.contents;
  let offset = node && (node as Node).range ? (node as Node).range![0] : 0;
  let depth = 0;
  for (const segment of path) {
    node = resolveAlias(source, node);
    const next = child(source, node, segment);
    if (!next) break;
    node = next.value;
    offset = next.offset;
    depth += 1;
  }
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col, found: depth === path.length, depth };
}

function resolveAlias(source: YamlSource, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 100 && isAlias(current); hops += 1) {
    current = current.resolve(source.document);
  }
  return current;
}

function child(
  source: YamlSource,
  node: unknown,
  segment: string | number,
): { value: unknown; offset: number } | null {
  if (isMap(node)) {
    const merged: unknown[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (key === '<<') {
        merged.push(pair.value);
        continue;
      }
      if (String(key) === String(segment)) {
        const keyNode = pair.key as Node | null;
        const offset = keyNode?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? 0;
        return { value: pair.value, offset };
      }
    }
    // Merge keys (`<<: *base`): look inside what they merge.
    for (const mergeValue of merged) {
      const resolved = resolveAlias(source, mergeValue);
      const candidates = isSeq(resolved) ? resolved.items : [resolved];
      for (const candidate of candidates) {
        const found = child(source, resolveAlias(source, candidate), segment);
        if (found) return found;
      }
    }
    return null;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    if (item === undefined) return null;
    return { value: item, offset: item?.range?.[0] ?? 0 };
  }
  return null;
}

/** An issue located at `path` inside `source`. */
export function issueAt(source: YamlSource, path: ReadonlyArray<string | number>, message: string): ManifestIssue {
  const { line, column } = locate(source, path);
  return { file: source.file, line, column, path: formatPath(path), message };
}

/**
 * Locates paths of a merged project in the files it came from: the last file that holds the whole path
 * (override files win), else the file holding the longest part of it.
 */
export function createLocator(sources: readonly YamlSource[]) {
  return (path: ReadonlyArray<string | number>, message: string): ManifestIssue => {
    let best: { source: YamlSource; depth: number } | null = null;
    for (let index = sources.length - 1; index >= 0; index -= 1) {
      const source = sources[index]!;
      const position = locate(source, path);
      if (position.found) return issueAt(source, path, message);
      if (!best || position.depth >= best.depth) best = { source, depth: position.depth };
    }
    if (!best) return { file: '', line: 0, column: 0, path: formatPath(path), message };
    return issueAt(best.source, path, message);
  };
}

export type Locator = ReturnType<typeof createLocator>;
