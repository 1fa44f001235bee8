import { resolve } from 'node:path';
import { defaultAuditLogPath } from '../../audit/audit-path.js';
import { parseSince } from '../../audit/read-audit.js';
import { DEFAULT_BACKUP_DESTINATION } from '../../backup/index.js';
import { UsageError } from '../../errors/kinds.js';
import { createRedactor } from '../../redaction/redact.js';
import { createDailyReport } from '../../report/create-daily-report.js';
import { renderDailyMarkdown } from '../../report/render-markdown.js';
import { writeFileAtomic } from '../../state/atomic-file.js';
import { defaultStateDir } from '../../state/state-dir.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';

// `composelet report PATH`: the daily report, in place of the runbook's morning check and end-of-day
// summary. Read-only.

const FORMATS = ['markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

export const reportCommand: Command = {
  name: 'report',
  summary: 'the daily report: services, heals and time down, backups, drift, policy, what the controller did',
  help: `Usage: composelet report PATH [options]

One document for the morning check and the end-of-day summary, over a period (default the last 24h):
- per service: state and health now; heals, in-place restarts and crash loops in the period, and time
  down (at least: see the README for how it is estimated);
- backups per definition: made, verified, failed, missed, and the bytes made;
- drift and policy findings now;
- what the controller and operators did (the audit log, counted by action and actor);
- suspensions in force and made; commits deployed and quarantined, when the audit log has them.
Secret values never appear. Nothing is changed.

Options:
${MANIFEST_OPTIONS_HELP}
      --since TIME         the period's start: a duration back from now (24h, 7d) or an ISO time (default 24h)
      --format FORMAT      markdown (default) or json (schemas/daily-report.v1.json)
      --output FILE        write the report to FILE (atomically) and print where
      --audit-log FILE     the audit log (default as 'run': $COMPOSELET_AUDIT_LOG, else
                           ~/.local/state/composelet/audit.log)
      --state-dir DIR      where suspensions are kept (default as 'run')
  -h, --help               show this help

The engine is DOCKER_HOST or the default socket.`,
  options: {
    ...manifestOptions,
    since: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'audit-log': { type: 'string' },
    'state-dir': { type: 'string' },
  },
  async run(input, io) {
    const format = parseFormat(input.values.format);
    const now = new Date();
    const since = parseSince((input.values.since as string | undefined) ?? '24h', now);
    if (!since.ok) throw new UsageError(`--since: ${since.error}`);
    const state = loadOrThrow(input, io);
    const engine = await connectEngine(io);
    const auditLog = input.values['audit-log'] as string | undefined;
    const report = await createDailyReport(engine, state, {
      manifestPath: input.positionals[0] ?? '.',
      cwd: io.cwd,
      since: since.value,
      now,
      auditPath: auditLog === undefined ? defaultAuditLogPath(io.env) : resolve(io.cwd, auditLog),
      stateDir: resolve(io.cwd, (input.values['state-dir'] as string | undefined) ?? defaultStateDir(io.env)),
      backupDestination: io.env.COMPOSELET_BACKUP_DIR || DEFAULT_BACKUP_DESTINATION,
      redactor: createRedactor(io.env.COMPOSELET_REDACTION_KEY ? { key: io.env.COMPOSELET_REDACTION_KEY } : {}),
    });
    const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderDailyMarkdown(report);
    const output = input.values.output as string | undefined;
    if (output === undefined) {
      io.stdout.write(text);
    } else {
      const path = resolve(io.cwd, output);
      await writeFileAtomic(path, text);
      write(io.stdout, `report for ${report.period.since} to ${report.period.until} written to ${path}`);
    }
    return 0;
  },
};

function parseFormat(value: unknown): Format {
  if (value === undefined) return 'markdown';
  if (typeof value === 'string' && (FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${String(value)}"`);
}
