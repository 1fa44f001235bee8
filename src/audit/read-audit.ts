import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fail, ok, type ParseResult } from '../desired-state/syntax/result.js';
import type { AuditEntry } from './audit-entry.js';
import { isCode, rotatedFiles, statOrNull } from './rotation.js';

// Reading the audit log back: the rotated files from the oldest (highest number) to `audit.log`, each line
// parsed. A line that does not parse as an entry (the torn last line of a writer killed mid-write, see
// audit-log.ts) is skipped and reported with its file and line number, never guessed at. Entries come in
// the order they were appended, which is time order for one writer. A rotation running while the log is
// read can make a file move under the reader; read again for an exact picture.

export interface AuditFilter {
  /** Entries at or after this time. */
  since?: Date;
  service?: string;
  project?: string;
}

export interface SkippedLine {
  file: string;
  lineNumber: number;
}

export interface AuditReading {
  entries: AuditEntry[];
  skippedLines: SkippedLine[];
  /** The files read, oldest first. */
  files: string[];
}

/** The log's files that exist, oldest first. */
export async function auditLogFiles(path: string): Promise<string[]> {
  const rotated = (await rotatedFiles(path)).map(([, file]) => file);
  return (await statOrNull(path)) === null ? rotated : [...rotated, path];
}

export async function readAuditLog(path: string, filter: AuditFilter = {}): Promise<AuditReading> {
  const files = await auditLogFiles(path);
  const entries: AuditEntry[] = [];
  const skippedLines: SkippedLine[] = [];
  for (const file of files) {
    let lineNumber = 0;
    try {
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of lines) {
        lineNumber += 1;
        if (line.trim() === '') continue;
        const entry = parseEntry(line);
        if (entry === null) skippedLines.push({ file, lineNumber });
        else if (matches(entry, filter)) entries.push(entry);
      }
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error; // rotated away while we were reading
    }
  }
  return { entries, skippedLines, files };
}

/** An entry, or null when the line is not one (torn, or not ours). */
export function parseEntry(line: string): AuditEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const candidate = value as Partial<AuditEntry>;
  if (typeof candidate.time !== 'string' || Number.isNaN(Date.parse(candidate.time))) return null;
  if (typeof candidate.action !== 'string' || typeof candidate.project !== 'string' || typeof candidate.result !== 'string') return null;
  return value as AuditEntry;
}

export function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.service !== undefined && entry.service !== filter.service) return false;
  if (filter.project !== undefined && entry.project !== filter.project) return false;
  if (filter.since !== undefined && Date.parse(entry.time) < filter.since.getTime()) return false;
  return true;
}

const UNIT_MILLISECONDS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/**
 * `--since`: an ISO 8601 time (`2025-01-31`, `2025-01-31T12:00:00Z`) or a duration back from `now`
 * (`90s`, `30m`, `2h`, `7d`, `1w`, `1d12h`).
 */
export function parseSince(text: string, now: Date): ParseResult<Date> {
  const trimmed = text.trim();
  if (DURATION.test(trimmed)) {
    let milliseconds = 0;
    for (const [, amount, unit] of trimmed.matchAll(DURATION_PART)) milliseconds += Number(amount) * (UNIT_MILLISECONDS[unit ?? ''] ?? 0);
    return ok(new Date(now.getTime() - milliseconds));
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const time = Date.parse(trimmed);
    if (!Number.isNaN(time)) return ok(new Date(time));
  }
  return fail(`invalid time ${JSON.stringify(text)}: write an ISO time (2025-01-31T12:00:00Z) or a duration back from now (30m, 2h, 7d)`);
}
