import { withoutSuspensions } from '../../operations/suspend/suspension.js';
import { suspensionAuditEntry } from '../../operations/suspend/suspension-audit.js';
import { readSuspensions, writeSuspensions } from '../../operations/suspend/suspension-store.js';
import { createAuditRecorder, reportAuditFailure } from '../audit-recorder.js';
import { write, type Command } from '../command.js';
import { MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { operationTarget, STATE_DIR_HELP } from '../operation-target.js';

// `composelet resume PATH [SERVICE…]`: ends suspensions; a running controller heals what they held at once.

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'end a suspension: the controller heals and deploys the service (or project) again at once',
  help: `Usage: composelet resume PATH [SERVICE...] [options]

Ends the suspensions of the services named (none: every suspension of the project, its own included).
A running controller picks it up at once and heals what was held. Written to the audit log.

Options:
${MANIFEST_OPTIONS_HELP}
${STATE_DIR_HELP}
  -h, --help               show this help`,
  options: { ...manifestOptions, 'state-dir': { type: 'string' } },
  async run(input, io) {
    const target = operationTarget(input, io);
    const now = Date.now();
    const audit = createAuditRecorder(io, 'resume');
    try {
      await audit.ensureWritable();
      for (const { project, services } of target.projects) {
        const { kept, resumed } = withoutSuspensions(await readSuspensions(target.stateDir, project.name), services, now);
        if (resumed.length === 0) {
          write(io.stdout, `${project.name}: nothing suspended${services.length > 0 ? ` among ${services.join(', ')}` : ''}`);
          continue;
        }
        await writeSuspensions(target.stateDir, project.name, kept);
        await audit.append(
          resumed.map((suspension) =>
            suspensionAuditEntry('resume', suspension, `resumed before ${suspension.until ?? 'no end'} (suspended by ${suspension.by}: ${suspension.reason})`),
          ),
        );
        for (const suspension of resumed) write(io.stdout, `${project.name}/${suspension.service ?? '*'}: resumed (was suspended by ${suspension.by}: ${suspension.reason})`);
      }
    } catch (error) {
      return reportAuditFailure(error, io, 'resume', { ran: false });
    } finally {
      await audit.close();
    }
    return 0;
  },
};
