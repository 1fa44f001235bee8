import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAuditEntry, type AuditEntryFields } from '../../src/audit/audit-entry.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import type { OptionValues } from '../../src/cli/command.js';
import { auditCommand, defaultAuditLogPath } from '../../src/cli/commands/audit.js';

// The command is run directly (the lead registers it in the command list).

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'composelet-audit-cli-'));
  directories.push(directory);
  return directory;
}

async function runAudit(argv: string[], env: Record<string, string | undefined> = {}, cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  const parsed = parseArgs({ args: argv, options: auditCommand.options, allowPositionals: true, strict: true });
  const code = await auditCommand.run(
    { positionals: parsed.positionals, values: parsed.values as OptionValues },
    { stdout: sink((text) => (stdout += text)), stderr: sink((text) => (stderr += text)), env, cwd },
  );
  return { code, stdout, stderr };
}

function entry(overrides: Partial<AuditEntryFields>) {
  return buildAuditEntry({
    time: new Date(),
    actor: 'controller',
    user: 'composelet@host',
    project: 'demo',
    service: 'api',
    action: 'create-container',
    resource: 'container:demo-api-1',
    cause: 'not found',
    specHashBefore: null,
    specHashAfter: 'abc',
    result: 'succeeded',
    error: null,
    manifestCommit: null,
    durationMs: 3,
    ...overrides,
  });
}

async function writeLog(path: string) {
  const log = await openAuditLog({ path });
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
  await log.append([
    entry({ time: hoursAgo(48), service: 'db', resource: 'container:demo-db-1', cause: 'spec changed' }),
    entry({ time: hoursAgo(1), actor: 'apply', action: 'start-container', result: 'failed', error: 'port is already allocated', cause: 'new container' }),
    entry({ time: hoursAgo(0.5), project: 'shop', cause: 'not found' }),
  ]);
  await log.close();
}

describe('composelet audit', () => {
  it('must print the entries as an aligned table with the error after the cause', async () => {
    const path = join(temporaryDirectory(), 'audit.log');
    await writeLog(path);
    const { code, stdout, stderr } = await runAudit(['--file', path]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+ACTOR\s+USER\s+PROJECT\s+SERVICE\s+ACTION\s+RESOURCE\s+RESULT\s+CAUSE$/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/apply\s+composelet@host\s+demo\s+api\s+start-container\s+container:demo-api-1\s+failed\s+new container: port is already allocated$/);
    expect(lines[1]?.indexOf('controller')).toBe(lines[0]?.indexOf('ACTOR'));
  });

  it('--json must print the stored entries as JSON lines', async () => {
    const path = join(temporaryDirectory(), 'audit.log');
    await writeLog(path);
    const { code, stdout } = await runAudit(['--file', path, '--json']);
    expect(code).toBe(0);
    const entries = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(entries.map((found) => found.cause)).toEqual(['spec changed', 'new container', 'not found']);
  });

  it('--since, --service and --project must filter', async () => {
    const path = join(temporaryDirectory(), 'audit.log');
    await writeLog(path);
    const since = await runAudit(['--file', path, '--json', '--since', '2h']);
    expect(since.stdout.trimEnd().split('\n')).toHaveLength(2);
    const byService = await runAudit(['--file', path, '--json', '--service', 'db']);
    expect(JSON.parse(byService.stdout).service).toBe('db');
    const byProject = await runAudit(['--file', path, '--json', '--project', 'shop']);
    expect(JSON.parse(byProject.stdout).project).toBe('shop');
    const none = await runAudit(['--file', path, '--service', 'nothing']);
    expect(none.stdout).toBe('no audit entries match\n');
  });

  it('an invalid --since must be a usage error', async () => {
    const path = join(temporaryDirectory(), 'audit.log');
    await expect(runAudit(['--file', path, '--since', 'last week'])).rejects.toThrow(/--since: invalid time "last week"/);
  });

  it('a torn line must be skipped and reported on stderr', async () => {
    const path = join(temporaryDirectory(), 'audit.log');
    await writeLog(path);
    appendFileSync(path, '{"time":"2025-');
    const { code, stdout, stderr } = await runAudit(['--file', path, '--json']);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(stderr).toContain(`skipped 1 unreadable line (a writer killed mid-line?): ${path}:4`);
  });

  it('the default log must come from the environment and say so when nothing was recorded yet', async () => {
    const directory = temporaryDirectory();
    const missing = await runAudit([], { COMPOSELET_AUDIT_LOG: join(directory, 'audit.log') });
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain('nothing recorded yet');
    const explicitMissing = await runAudit(['--file', 'audit.log'], {}, directory);
    expect(explicitMissing.code).toBe(1);
    expect(explicitMissing.stderr).toContain(`no audit log at ${join(directory, 'audit.log')}`);
  });

  it.each([
    [{ COMPOSELET_AUDIT_LOG: '/var/log/composelet/audit.log', HOME: '/home/alice' }, '/var/log/composelet/audit.log'],
    [{ XDG_STATE_HOME: '/state', HOME: '/home/alice' }, '/state/composelet/audit.log'],
    [{ HOME: '/home/alice' }, '/home/alice/.local/state/composelet/audit.log'],
  ])('defaultAuditLogPath(%j) must be %s', (env, expected) => {
    expect(defaultAuditLogPath(env)).toBe(expected);
  });

  it('--help text must name every option', () => {
    for (const option of ['--file', '--since', '--service', '--project', '--json']) expect(auditCommand.help).toContain(option);
  });
});
