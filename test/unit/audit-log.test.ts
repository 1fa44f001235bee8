import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAuditEntry, type AuditEntry, type AuditEntryFields } from '../../src/audit/audit-entry.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { auditLogFiles, parseSince, readAuditLog } from '../../src/audit/read-audit.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function logPath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'composelet-audit-'));
  directories.push(directory);
  return join(directory, 'state', 'composelet', 'audit.log');
}

function entry(overrides: Partial<AuditEntryFields> = {}): AuditEntry {
  return buildAuditEntry({
    time: new Date('2025-03-01T10:00:00.000Z'),
    actor: 'apply',
    user: 'alice@host',
    project: 'demo',
    service: 'api',
    action: 'create-container',
    resource: 'container:demo-api-1',
    cause: 'not found',
    specHashBefore: null,
    specHashAfter: 'abc123',
    result: 'succeeded',
    error: null,
    manifestCommit: '0123456789abcdef',
    durationMs: 12,
    ...overrides,
  });
}

const numbered = (index: number) => entry({ cause: `line ${index}` });
const causes = (entries: AuditEntry[]) => entries.map((found) => found.cause);
const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

describe('audit log: append and read back', () => {
  it('appended entries must read back as one JSON line each, in order, in a 0640 file under a created directory', async () => {
    const path = logPath();
    const log = await openAuditLog({ path });
    const first = entry({ service: 'api' });
    const second = entry({ service: 'db', action: 'start-container', resource: 'container:demo-db-1', result: 'failed', error: 'boom' });
    await log.append([first, second]);
    await log.close();

    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toEqual([JSON.stringify(first), JSON.stringify(second), '']);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    const reading = await readAuditLog(path);
    expect(reading.entries).toEqual([first, second]);
    expect(reading.skippedLines).toEqual([]);
  });

  it('a reopened log must append after what is there', async () => {
    const path = logPath();
    const first = await openAuditLog({ path });
    await first.append([numbered(1)]);
    await first.close();
    const second = await openAuditLog({ path });
    await second.append([numbered(2)]);
    await second.close();
    expect(causes((await readAuditLog(path)).entries)).toEqual(['line 1', 'line 2']);
  });

  it('appending after close must fail', async () => {
    const log = await openAuditLog({ path: logPath() });
    await log.close();
    await expect(log.append([numbered(1)])).rejects.toThrow(/closed/);
  });

  it('100 concurrent appends must leave 100 whole lines in call order', async () => {
    const path = logPath();
    const log = await openAuditLog({ path, maxBytes: 4096, keep: 100 });
    await Promise.all(range(100).map((index) => log.append([numbered(index)])));
    await log.close();
    const reading = await readAuditLog(path);
    expect(reading.skippedLines).toEqual([]);
    expect(causes(reading.entries)).toEqual(range(100).map((index) => `line ${index}`));
  });
});

describe('audit log: rotation', () => {
  it('rotation must keep every line whole and in order across files, none larger than maxBytes', async () => {
    const path = logPath();
    const lineBytes = JSON.stringify(numbered(10)).length + 1;
    const log = await openAuditLog({ path, maxBytes: lineBytes * 3 + 10, keep: 50 });
    for (const index of range(20)) await log.append([numbered(index)]);
    await log.close();

    const files = await auditLogFiles(path);
    expect(files).toHaveLength(7); // 3 lines a file
    expect(files.at(-1)).toBe(path);
    expect(files[0]).toBe(`${path}.6`);
    for (const file of files) {
      expect(statSync(file).size).toBeLessThanOrEqual(lineBytes * 3 + 10);
      expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    }
    const reading = await readAuditLog(path);
    expect(reading.skippedLines).toEqual([]);
    expect(causes(reading.entries)).toEqual(range(20).map((index) => `line ${index}`));
  });

  it('rotation must delete the oldest files beyond keep', async () => {
    const path = logPath();
    const lineBytes = JSON.stringify(numbered(10)).length + 1;
    const log = await openAuditLog({ path, maxBytes: lineBytes, keep: 2 });
    for (const index of range(10)) await log.append([numbered(index)]);
    await log.close();
    expect(await auditLogFiles(path)).toEqual([`${path}.2`, `${path}.1`, path]);
    expect(causes((await readAuditLog(path)).entries)).toEqual(['line 8', 'line 9', 'line 10']);
  });

  it('a line longer than maxBytes must be written whole in a file of its own', async () => {
    const path = logPath();
    const log = await openAuditLog({ path, maxBytes: 200, keep: 5 });
    await log.append([numbered(1)]);
    await log.append([entry({ cause: 'long', error: 'e'.repeat(500) })]);
    await log.append([numbered(3)]);
    await log.close();
    const files = await auditLogFiles(path);
    expect(files).toHaveLength(3);
    expect(readFileSync(files[1] ?? '', 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    expect(causes((await readAuditLog(path)).entries)).toEqual(['line 1', 'long', 'line 3']);
  });

  it('a log rotated by another process must be followed: the next line goes to the new file', async () => {
    const path = logPath();
    const log = await openAuditLog({ path });
    await log.append([numbered(1)]);
    renameSync(path, `${path}.1`); // what another writer's rotation does
    await log.append([numbered(2)]);
    await log.close();
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(numbered(2))}\n`);
    expect(causes((await readAuditLog(path)).entries)).toEqual(['line 1', 'line 2']);
  });

  it('a rotation lock left by a killed process must not stop rotation', async () => {
    const path = logPath();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(`${path}.lock`, String(deadPid));
    const lineBytes = JSON.stringify(numbered(1)).length + 1;
    const log = await openAuditLog({ path, maxBytes: lineBytes, keep: 5 });
    await log.append([numbered(1), numbered(2)]);
    await log.close();
    expect(await auditLogFiles(path)).toEqual([`${path}.1`, path]);
    expect(readdirSync(join(path, '..'))).not.toContain('audit.log.lock');
  });

  it('an empty rotation lock, left by a writer killed between creating and filling it, must not stop rotation', async () => {
    const path = logPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(`${path}.lock`, '');
    const lineBytes = JSON.stringify(numbered(1)).length + 1;
    const log = await openAuditLog({ path, maxBytes: lineBytes, keep: 5 });
    await log.append([numbered(1), numbered(2)]);
    await log.close();
    expect(await auditLogFiles(path)).toEqual([`${path}.1`, path]);
    expect(readdirSync(join(path, '..')).filter((name) => name.includes('lock'))).toEqual([]);
  });

  it('a rotation lock held by a live process must delay rotation without losing or splitting a line', async () => {
    const path = logPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(`${path}.lock`, String(process.ppid));
    const lineBytes = JSON.stringify(numbered(1)).length + 1;
    const log = await openAuditLog({ path, maxBytes: lineBytes, keep: 5 });
    await log.append([numbered(1), numbered(2)]);
    rmSync(`${path}.lock`);
    await log.append([numbered(3)]);
    await log.close();
    expect(await auditLogFiles(path)).toEqual([`${path}.1`, path]);
    expect(causes((await readAuditLog(path)).entries)).toEqual(['line 1', 'line 2', 'line 3']);
  });
});

describe('audit log: a torn last line', () => {
  it('a torn line left by a killed writer must stay untouched, alone on its line, and be reported by the reader', async () => {
    const path = logPath();
    mkdirSync(join(path, '..'), { recursive: true });
    const before = `${JSON.stringify(numbered(1))}\n${JSON.stringify(numbered(2)).slice(0, 40)}`;
    writeFileSync(path, before);
    const log = await openAuditLog({ path });
    await log.append([numbered(3), numbered(4)]);
    await log.close();

    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(before)).toBe(true); // append-only: nothing written is changed
    expect(text.slice(before.length)).toBe(`\n${JSON.stringify(numbered(3))}\n${JSON.stringify(numbered(4))}\n`);
    const reading = await readAuditLog(path);
    expect(causes(reading.entries)).toEqual(['line 1', 'line 3', 'line 4']);
    expect(reading.skippedLines).toEqual([{ file: path, lineNumber: 2 }]);
  });
});

describe('audit log: filters', () => {
  const now = new Date('2025-03-08T12:00:00.000Z');
  const entries = [
    entry({ time: new Date('2025-03-01T00:00:00.000Z'), project: 'demo', service: 'api', cause: 'old api' }),
    entry({ time: new Date('2025-03-08T09:00:00.000Z'), project: 'demo', service: 'db', cause: 'recent db' }),
    entry({ time: new Date('2025-03-08T11:30:00.000Z'), project: 'shop', service: 'api', cause: 'recent shop api' }),
    entry({ time: new Date('2025-03-08T11:45:00.000Z'), project: 'demo', service: null, action: 'create-network', cause: 'network' }),
  ];

  it.each([
    { name: 'no filter', filter: {}, expected: ['old api', 'recent db', 'recent shop api', 'network'] },
    { name: '--since 2h', filter: { since: '2h' }, expected: ['recent shop api', 'network'] },
    { name: '--since 7d', filter: { since: '7d' }, expected: ['recent db', 'recent shop api', 'network'] },
    { name: '--since an ISO time', filter: { since: '2025-03-08T09:00:00Z' }, expected: ['recent db', 'recent shop api', 'network'] },
    { name: '--service api', filter: { service: 'api' }, expected: ['old api', 'recent shop api'] },
    { name: '--project demo', filter: { project: 'demo' }, expected: ['old api', 'recent db', 'network'] },
    { name: '--project demo --service api', filter: { project: 'demo', service: 'api' }, expected: ['old api'] },
  ])('$name must select the matching entries', async ({ filter, expected }) => {
    const path = logPath();
    const log = await openAuditLog({ path });
    await log.append(entries);
    await log.close();
    const since = filter.since === undefined ? undefined : parseSince(filter.since, now);
    if (since !== undefined && !since.ok) throw new Error(since.error);
    const reading = await readAuditLog(path, {
      ...(since?.ok ? { since: since.value } : {}),
      ...(filter.service !== undefined ? { service: filter.service } : {}),
      ...(filter.project !== undefined ? { project: filter.project } : {}),
    });
    expect(causes(reading.entries)).toEqual(expected);
  });

  it.each([
    ['90s', '2025-03-08T11:58:30.000Z'],
    ['30m', '2025-03-08T11:30:00.000Z'],
    ['1d12h', '2025-03-07T00:00:00.000Z'],
    ['1w', '2025-03-01T12:00:00.000Z'],
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
    ['2025-03-01T08:00:00+02:00', '2025-03-01T06:00:00.000Z'],
  ])('--since %s must mean %s', (text, expected) => {
    const parsed = parseSince(text, now);
    expect(parsed.ok && parsed.value.toISOString()).toBe(expected);
  });

  it.each(['yesterday', '2h ago', '-2h', '5x', ''])('--since %j must be refused with the accepted forms', (text) => {
    const parsed = parseSince(text, now);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain('ISO time');
  });
});
