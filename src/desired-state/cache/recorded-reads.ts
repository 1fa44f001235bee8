import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, type Stats } from 'node:fs';

// Every read of the file system a project load makes goes through these functions, so a load can be
// replayed cheaply: each one is recorded (what was asked, of which path, and what came back, contents as a
// SHA-256) while a recording is open, and `readsUnchanged` asks the file system the same questions again.
// When every answer is the same, a load given the same options and environment returns the same project
// (project-cache.ts). Loads are synchronous, so the open recording is the one of the load in progress.

export type ReadProbe = 'text' | 'bytes' | 'exists' | 'stat';

export interface RecordedRead {
  probe: ReadProbe;
  path: string;
  /** The answer, as text: a content hash, `true`/`false`, a stat summary, or an error code. */
  answer: string;
}

let openRecording: RecordedRead[] | null = null;

/** Runs `load` recording the reads it makes (nested recordings add to the outer one). */
export function recordingReads<T>(load: () => T): { result: T; reads: RecordedRead[] } {
  const outer = openRecording;
  const reads: RecordedRead[] = [];
  openRecording = reads;
  try {
    return { result: load(), reads };
  } finally {
    openRecording = outer;
    if (outer) outer.push(...reads);
  }
}

/** True when the file system answers each recorded read as it did then. */
export function readsUnchanged(reads: readonly RecordedRead[]): boolean {
  return reads.every((read) => answerOf(read.probe, read.path) === read.answer);
}

/** A file's text (readFileSync(path, 'utf8')); throws as readFileSync does. */
export function readInputText(path: string): string {
  return read('text', path, () => readFileSync(path, 'utf8'));
}

/** A file's bytes (readFileSync(path)); throws as readFileSync does. */
export function readInputBytes(path: string): Buffer {
  return read('bytes', path, () => readFileSync(path));
}

export function inputExists(path: string): boolean {
  const exists = existsSync(path);
  openRecording?.push({ probe: 'exists', path, answer: String(exists) });
  return exists;
}

/** statSync(path); throws as statSync does. */
export function statInput(path: string): Stats {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    openRecording?.push({ probe: 'stat', path, answer: errorAnswer(error) });
    throw error;
  }
  openRecording?.push({ probe: 'stat', path, answer: statAnswer(stats) });
  return stats;
}

function read<T extends string | Buffer>(probe: 'text' | 'bytes', path: string, readIt: () => T): T {
  let content: T;
  try {
    content = readIt();
  } catch (error) {
    openRecording?.push({ probe, path, answer: errorAnswer(error) });
    throw error;
  }
  if (openRecording) openRecording.push({ probe, path, answer: contentAnswer(content) });
  return content;
}

function answerOf(probe: ReadProbe, path: string): string {
  try {
    if (probe === 'exists') return String(existsSync(path));
    if (probe === 'stat') return statAnswer(statSync(path));
    return contentAnswer(probe === 'text' ? readFileSync(path, 'utf8') : readFileSync(path));
  } catch (error) {
    return errorAnswer(error);
  }
}

/** What a load may look at in a stat: the kind of file and its permission bits (private-file.ts). */
function statAnswer(stats: Stats): string {
  const kind = stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  return `${kind} ${(stats.mode & 0o7777).toString(8)}`;
}

function contentAnswer(content: string | Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

function errorAnswer(error: unknown): string {
  return `error:${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
}
