import { buildAuditEntry } from '../../src/audit/audit-entry.js';
import { openAuditLog } from '../../src/audit/audit-log.js';

// A writer for the audit log crash test, run as its own process (`node --import tsx`) and SIGKILLed at a
// random moment: it appends entries in a tight loop, cause "run R line N", and prints N once the append
// resolved (the line is on disk). Stdout to a pipe is synchronous on Linux, so a printed N is never lost.
//
//   node --import tsx test/support/audit-writer-child.ts PATH MAX_BYTES KEEP RUN

const [path, maxBytesText, keepText, run] = process.argv.slice(2);
if (path === undefined || maxBytesText === undefined || keepText === undefined || run === undefined) {
  process.stderr.write('usage: audit-writer-child.ts PATH MAX_BYTES KEEP RUN\n');
  process.exit(2);
}

const log = await openAuditLog({ path, maxBytes: Number(maxBytesText), keep: Number(keepText) });
for (let line = 1; ; line += 1) {
  const entry = buildAuditEntry({
    actor: 'crash-test',
    user: 'tester@host',
    project: 'crash',
    service: 'writer',
    action: 'create-container',
    resource: 'container:crash-writer-1',
    cause: `run ${run} line ${line}`,
    specHashBefore: null,
    specHashAfter: 'f'.repeat(64),
    result: 'succeeded',
    // Lengths vary so that lines start at every offset within a page.
    error: 'x'.repeat(Math.floor(Math.random() * 400)),
    manifestCommit: null,
    durationMs: line,
  });
  await log.append([entry]);
  process.stdout.write(`${line}\n`);
}
