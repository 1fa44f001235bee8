import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLogFiles, parseEntry, readAuditLog } from '../../src/audit/read-audit.js';
import { eventually } from '../support/eventually.js';

// A writer process SIGKILLed at random moments, again and again, on one log rotating every few lines:
// every line it reported as appended must be there, whole, once and in order; a line can only be missing
// or torn at the very end of a killed writer's output, never in the middle of it.
//
// Why this holds: each line is one write() of the whole line, and a kill cannot split a system call in two
// lines' worth of bytes, nor mix two lines; renames are atomic, so a kill during rotation leaves every line
// in exactly one file. Linux may stop a write() to a file between two pages when the process is killed, so
// the last line of a killed writer can be torn: the next writer starts with a newline (audit-log.ts), the
// fragment stays alone on its line, and the reader skips and reports it. Such a kill lands in a window of
// well under a microsecond per line, so in practice no torn line shows up here; the test allows one per
// kill, at the end of that writer's output.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = join(ROOT, 'test', 'support', 'audit-writer-child.ts');
const MAX_BYTES = 4096;
const KEEP = 10_000;
const RUNS = 6;

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Starts a writer, kills it once it reported `killAfter` lines, and returns the last line it reported. */
async function writeAndKill(path: string, run: number, killAfter: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(MAX_BYTES), String(KEEP), String(run)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let reported = 0;
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) reported = Number(line);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const closed = once(child, 'close');
  await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`the writer exited with ${child.exitCode}: ${stderr}`);
      if (reported < killAfter) throw new Error(`${reported} of ${killAfter} lines reported`);
    },
    { timeoutMs: 30_000, intervalMs: 2, message: `writer run ${run}` },
  );
  child.kill('SIGKILL');
  const [, signal] = await closed;
  expect(signal).toBe('SIGKILL');
  return reported;
}

function runAndLine(cause: string): [number, number] {
  const match = /^run (\d+) line (\d+)$/.exec(cause);
  if (!match) throw new Error(`unexpected cause ${cause}`);
  return [Number(match[1]), Number(match[2])];
}

describe('audit log: a SIGKILLed writer', () => {
  it('a writer killed at random moments, rotation included, must leave every reported line whole and in order', { timeout: 120_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-audit-crash-'));
    directories.push(directory);
    const path = join(directory, 'audit.log');
    const lastReported: number[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      lastReported.push(await writeAndKill(path, run, 5 + Math.floor(Math.random() * 150)));
    }

    const reading = await readAuditLog(path);
    const appended = reading.entries.map((entry) => runAndLine(entry.cause));
    for (let run = 1; run <= RUNS; run += 1) {
      const lines = appended.filter(([entryRun]) => entryRun === run).map(([, line]) => line);
      const reported = lastReported[run - 1] ?? 0;
      // Every reported line is there, once, in order; at most one more was written but not yet reported.
      expect(lines.length, `run ${run}: ${lines.length} lines for ${reported} reported`).toBeGreaterThanOrEqual(reported);
      expect(lines.length, `run ${run}: ${lines.length} lines for ${reported} reported`).toBeLessThanOrEqual(reported + 1);
      expect(lines).toEqual(Array.from({ length: lines.length }, (_, index) => index + 1));
    }
    expect(appended.map(([run]) => run)).toEqual([...appended.map(([run]) => run)].sort((left, right) => left - right));

    // A line that does not parse can only be the last thing a killed writer wrote.
    const rawLines = (await auditLogFiles(path)).flatMap((file) => readFileSync(file, 'utf8').split('\n')).filter((line) => line !== '');
    const runs = rawLines.map((line) => {
      const entry = parseEntry(line);
      return entry === null ? null : runAndLine(entry.cause)[0];
    });
    runs.forEach((run, index) => {
      if (run !== null) return;
      const previous = runs.slice(0, index).filter((found) => found !== null).at(-1) ?? 0;
      const next = runs.slice(index + 1).find((found) => found !== null) ?? Number.POSITIVE_INFINITY;
      expect(next, `torn line ${index} sits inside run ${previous}'s output`).toBeGreaterThan(previous);
    });
    expect(reading.skippedLines.length).toBe(runs.filter((run) => run === null).length);
    expect(reading.skippedLines.length).toBeLessThanOrEqual(RUNS);

    for (const file of reading.files) expect(statSync(file).size, file).toBeLessThanOrEqual(MAX_BYTES);
  });
});
