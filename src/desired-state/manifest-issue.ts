// One problem found in a manifest, located in its file. Loading collects every issue of every file
// before failing, so the operator fixes them all in one pass.

export interface ManifestIssue {
  /** Path of the file as given (absolute). */
  file: string;
  /** 1-based; 0 when the problem has no single place in the file (e.g. a missing file). */
  line: number;
  column: number;
  /** Dotted path inside the document: `services.api.depends_on.databse`, `services.api.ports[1]`. */
  path: string;
  /** The cause in plain words. */
  message: string;
  /** Warnings only: true when it holds for a project on one engine and not on Swarm (a Swarm-only key
   * ignored there); not printed for a project whose target is swarm. */
  oneHostOnly?: true;
}

export function formatIssue(issue: ManifestIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

export function compareIssues(a: ManifestIssue, b: ManifestIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path);
}

/** Each issue once (the same file, line, column, path and message reported twice says nothing more). */
export function dedupeIssues(issues: ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
