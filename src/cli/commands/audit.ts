import { resolve } from 'node:path';
import { defaultAuditLogPath } from '../../audit/audit-path.js';
import type { AuditEntry } from '../../audit/audit-entry.js';
import { readAuditLog, parseSince, type AuditFilter } from '../../audit/read-audit.js';
import { UsageError } from '../../errors/kinds.js';
import { renderColumns } from '../columns.js';
import { write, type CliIo, type Command } from '../command.js';

// `composelet audit`: what apply and the controller changed, when, why and how it went, read from the
// append-only audit log as a table or as JSON lines.

export { defaultAuditLogPath };

export const auditCommand: Command = {
  name: 'audit',
  summary: 'show what apply and the controller changed (the audit log)',
  help: `Usage: composelet audit [options]

Prints the audit log: one line per action apply, down or the controller took on the engine (create,
recreate, update in place, start, stop, remove, ...), with its time, actor, project, service, action,
resource, result and cause. Rotated files (audit.log.1, audit.log.2, ...) are read too, oldest first.
Secret values never reach the log: credentials in causes and errors are replaced by markers.

Options:
      --file PATH          the audit log (default: $COMPOSELET_AUDIT_LOG, else
                           $XDG_STATE_HOME/composelet/audit.log, else ~/.local/state/composelet/audit.log)
      --since TIME         only entries at or after TIME: an ISO time (2025-01-31T12:00:00Z) or a duration
                           back from now (30m, 2h, 7d)
      --service NAME       only entries of this service
      --project NAME       only entries of this project
      --json               print the entries as JSON lines, as stored
  -h, --help               show this help

A line a writer left torn (killed mid-write) is skipped and reported on stderr.`,
  options: {
    file: { type: 'string' },
    since: { type: 'string' },
    service: { type: 'string' },
    project: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(input, io) {
    if (input.positionals.length > 0) throw new UsageError(`unexpected argument "${input.positionals[0]}"`);
    const explicitFile = input.values.file as string | undefined;
    const path = explicitFile === undefined ? defaultAuditLogPath(io.env) : resolve(io.cwd, explicitFile);
    const reading = await readAuditLog(path, filterOf(input.values));
    if (reading.files.length === 0) {
      write(io.stderr, `no audit log at ${path}${explicitFile === undefined ? ' (nothing recorded yet)' : ''}`);
      return explicitFile === undefined ? 0 : 1;
    }
    reportSkipped(reading.skippedLines, io);
    if (input.values.json) {
      if (reading.entries.length > 0) write(io.stdout, reading.entries.map((entry) => JSON.stringify(entry)).join('\n'));
      return 0;
    }
    write(io.stdout, reading.entries.length === 0 ? 'no audit entries match' : renderAuditTable(reading.entries));
    return 0;
  },
};

function filterOf(values: Record<string, unknown>): AuditFilter {
  const filter: AuditFilter = {};
  if (typeof values.since === 'string') {
    const since = parseSince(values.since, new Date());
    if (!since.ok) throw new UsageError(`--since: ${since.error}`);
    filter.since = since.value;
  }
  if (typeof values.service === 'string') filter.service = values.service;
  if (typeof values.project === 'string') filter.project = values.project;
  return filter;
}

function reportSkipped(skipped: Array<{ file: string; lineNumber: number }>, io: CliIo): void {
  if (skipped.length === 0) return;
  const where = skipped.slice(0, 5).map((line) => `${line.file}:${line.lineNumber}`);
  const more = skipped.length > where.length ? `, and ${skipped.length - where.length} more` : '';
  write(io.stderr, `skipped ${skipped.length} unreadable line${skipped.length === 1 ? '' : 's'} (a writer killed mid-line?): ${where.join(', ')}${more}`);
}

const COLUMNS = ['TIME', 'ACTOR', 'USER', 'PROJECT', 'SERVICE', 'ACTION', 'RESOURCE', 'RESULT', 'CAUSE'] as const;

/** One row per entry, columns aligned; the cause (and the error, for what did not succeed) last. */
export function renderAuditTable(entries: readonly AuditEntry[]): string {
  const rows = entries.map((entry) => [
    entry.time.replace(/\.\d+Z$/, 'Z'),
    entry.actor,
    entry.user,
    entry.project,
    entry.service ?? '-',
    entry.action,
    entry.resource,
    entry.result,
    entry.error ? `${entry.cause}: ${entry.error}` : entry.cause,
  ]);
  return renderColumns(COLUMNS, rows);
}
