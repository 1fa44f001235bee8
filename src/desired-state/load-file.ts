import { readFileSync } from 'node:fs';
import { interpolateTree, type InterpolatedString, type VariableLookup } from './interpolate.js';
import type { ManifestIssue } from './manifest-issue.js';
import { issueMessage } from './schema/building-blocks.js';
import { composeFileSchema, type RawComposeFile } from './schema/compose-file.js';
import { issueAt, parseYamlSource, type YamlSource } from './yaml-source.js';

// One compose file, read, parsed, interpolated and validated against the schema. Every problem in the
// file is returned at once, each with its line and column.

export interface LoadedFile {
  source: YamlSource | null;
  /** The validated content; null when the file has problems. */
  content: RawComposeFile | null;
  issues: ManifestIssue[];
  warnings: ManifestIssue[];
  /** Variables the file's interpolation found set (to know which values came from the environment). */
  usedVariables: Set<string>;
  /** Strings that used a variable, with their paths (to know which fields came from `.env`). */
  interpolatedStrings: InterpolatedString[];
}

export function loadComposeFile(file: string, lookup: VariableLookup): LoadedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { source: null, content: null, issues: [{ file, line: 0, column: 0, path: '', message: cause }], warnings: [], usedVariables: new Set(), interpolatedStrings: [] };
  }
  const { source, issues } = parseYamlSource(file, text);
  const empty = { source, content: null, warnings: [], usedVariables: new Set<string>(), interpolatedStrings: [] };
  if (issues.length > 0) return { ...empty, issues };
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    return { ...empty, issues: [issueAt(source, [], 'a compose file must be a map with a `services:` key at the top')] };
  }

  const interpolated = interpolateTree(source.value as Record<string, unknown>, lookup);
  const located = (problems: typeof interpolated.errors) =>
    problems.map((problem) => issueAt(source, problem.path, problem.message));
  const fileIssues = located(interpolated.errors);
  const warnings = located(interpolated.warnings);

  const parsed = composeFileSchema.safeParse(interpolated.value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      fileIssues.push(issueAt(source, issue.path as Array<string | number>, issueMessage(issue)));
    }
  }
  return {
    source,
    content: fileIssues.length === 0 && parsed.success ? parsed.data : null,
    issues: dedupe(fileIssues),
    warnings,
    usedVariables: interpolated.usedVariables,
    interpolatedStrings: interpolated.interpolatedStrings,
  };
}

function dedupe(issues: ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
