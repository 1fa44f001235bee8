// The outcome of parsing one manifest value: the value in canonical form, or the cause in plain words.
// Parsers never throw on bad input; callers turn a failure into a located ManifestIssue.

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
