import { createHash } from 'node:crypto';
import { BEGIN_MARKER, END_MARKER } from './job-spec.js';

// The dump as a backup job printed it (job-spec.ts): base64 lines between the markers, then the command's exit
// status, SHA-256 and size. Decoded and checked against both, or an error saying what is wrong: a truncated
// or damaged read never becomes an artifact.

export interface JobOutput {
  exitCode: number;
  content: Buffer;
}

const END_LINE = new RegExp(`^${END_MARKER} (\\d+) ([0-9a-f]{64}) +(\\d+)$`);

export function decodeJobOutput(stdout: string): JobOutput {
  const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
  const begin = lines.indexOf(BEGIN_MARKER);
  if (begin < 0) throw new Error('the backup job printed no dump (its output has no start marker)');
  const endIndex = lines.findIndex((line, index) => index > begin && line.startsWith(END_MARKER));
  if (endIndex < 0) throw new Error('the backup job\'s output ends before its dump does (no end marker)');
  const end = END_LINE.exec(lines[endIndex]!.trim());
  if (!end) throw new Error(`the backup job's end marker is unreadable: ${JSON.stringify(lines[endIndex]!.slice(0, 120))}`);
  const [, status, sha256, size] = end;
  const content = Buffer.from(lines.slice(begin + 1, endIndex).join(''), 'base64');
  if (content.length !== Number(size)) throw new Error(`the dump read back from the backup job has ${content.length} bytes, the job wrote ${size}`);
  const actual = createHash('sha256').update(content).digest('hex');
  if (actual !== sha256) throw new Error(`the dump read back from the backup job is damaged: SHA-256 ${actual}, the job wrote ${sha256}`);
  return { exitCode: Number(status), content };
}

/** Whether the job's output is complete (the manager may return logs a moment before the last line). */
export function hasEndMarker(stdout: string): boolean {
  return stdout.split('\n').some((line) => END_LINE.test(line.replace(/\r$/, '').trim()));
}
