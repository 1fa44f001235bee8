import { open } from 'node:fs/promises';
import type { AuditEntry } from '../../audit/audit-entry.js';
import { parseEntry } from '../../audit/read-audit.js';

// The newest entries of the audit log, for the page: only the end of the current file is read (a page
// refresh must not read every rotated file), its first (maybe partial) line dropped, torn lines skipped as
// `composelet audit` skips them. Newest first.

const TAIL_BYTES = 256 * 1024;

export function newestEntries(text: string, options: { maxEntries: number; partialFirstLine: boolean }): AuditEntry[] {
  const lines = text.split('\n');
  if (options.partialFirstLine) lines.shift();
  const entries: AuditEntry[] = [];
  for (let index = lines.length - 1; index >= 0 && entries.length < options.maxEntries; index -= 1) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const entry = parseEntry(line);
    if (entry !== null) entries.push(entry);
  }
  return entries;
}

export async function readAuditTail(path: string, maxEntries: number): Promise<AuditEntry[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    return newestEntries(buffer.toString('utf8'), { maxEntries, partialFirstLine: start > 0 });
  } finally {
    await handle.close();
  }
}
