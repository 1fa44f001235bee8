import { currentUser } from '../../audit/audit-entry.js';
import { parseDuration } from '../../desired-state/syntax/duration.js';
import { UsageError } from '../../errors/kinds.js';
import { DEFAULT_SUSPENSION_MS, describeSuspension, withSuspension, type Suspension } from '../../operations/suspend/suspension.js';
import { suspensionAuditEntry } from '../../operations/suspend/suspension-audit.js';
import { readSuspensions, writeSuspensions } from '../../operations/suspend/suspension-store.js';
import { createAuditRecorder, reportAuditFailure } from '../audit-recorder.js';
import { write, type Command } from '../command.js';
import { MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { operationTarget, STATE_DIR_HELP } from '../operation-target.js';

// `composelet suspend PATH [SERVICE…] --reason TEXT`: hands off, for maintenance or an incident. The
// suspension goes to the state directory (suspension-store.ts), where a running controller picks it up.

export const suspendCommand: Command = {
  name: 'suspend',
  summary: 'hands off: the controller neither heals, recreates nor deploys a service (or project) for a while',
  help: `Usage: composelet suspend PATH [SERVICE...] --reason TEXT [options]

Suspends the services named (none: the whole project): while suspended, the controller ('composelet run')
neither heals, recreates nor deploys them, and 'composelet apply' skips them (unless --force); everything
else goes on. Stop a database by hand for maintenance and it stays stopped. A suspension ends by itself
after --for (default 1h), or with 'composelet resume'; the controller then heals what it held at once.
Who (user@host), why and until when go to the audit log and show in status, drift and the metric
composelet_suspended{project,service}. Suspending again replaces the earlier suspension.

Options:
${MANIFEST_OPTIONS_HELP}
      --reason TEXT        why (required): shown wherever the suspension is
      --for DURATION       how long, e.g. 30m, 2h (default 1h)
      --until-resumed      no end: held until 'composelet resume'
${STATE_DIR_HELP}
  -h, --help               show this help`,
  options: {
    ...manifestOptions,
    reason: { type: 'string' },
    for: { type: 'string' },
    'until-resumed': { type: 'boolean' },
    'state-dir': { type: 'string' },
  },
  async run(input, io) {
    const reason = (input.values.reason as string | undefined)?.trim();
    if (!reason) throw new UsageError('--reason TEXT is required: say why, it is shown wherever the suspension is');
    if (input.values.for !== undefined && input.values['until-resumed']) throw new UsageError('--for and --until-resumed exclude each other');
    const durationMs = parseFor(input.values.for as string | undefined);
    const target = operationTarget(input, io);
    const now = Date.now();
    const since = new Date(now).toISOString();
    const until = input.values['until-resumed'] ? null : new Date(now + durationMs).toISOString();
    const by = currentUser();
    const audit = createAuditRecorder(io, 'suspend');
    try {
      await audit.ensureWritable();
      for (const { project, services } of target.projects) {
        let suspensions = await readSuspensions(target.stateDir, project.name);
        const added: Suspension[] = (services.length === 0 ? [null] : services).map((service) => ({ project: project.name, service, by, reason, since, until }));
        for (const suspension of added) suspensions = withSuspension(suspensions, suspension, now);
        await writeSuspensions(target.stateDir, project.name, suspensions);
        await audit.append(
          added.map((suspension) =>
            suspensionAuditEntry('suspend', suspension, `${reason} (until ${until ?? 'resumed'})`),
          ),
        );
        for (const suspension of added) write(io.stdout, `${project.name}/${suspension.service ?? '*'}: ${describeSuspension(suspension)}`);
      }
    } catch (error) {
      return reportAuditFailure(error, io, 'suspend', { ran: false });
    } finally {
      await audit.close();
    }
    return 0;
  },
};

function parseFor(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SUSPENSION_MS;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`--for: ${parsed.error}`);
  const ms = Math.round(parsed.value / 1_000_000);
  if (ms <= 0) throw new UsageError('--for must be longer than 0 (use --until-resumed for no end)');
  return ms;
}
