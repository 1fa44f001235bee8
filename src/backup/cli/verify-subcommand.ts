import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { write } from '../../cli/command.js';
import { UsageError } from '../../errors/kinds.js';
import { readHistory, type ArtifactRecord } from '../artifacts/history.js';
import { withDefinitionLock } from '../artifacts/lock.js';
import { writeJsonAtomically, type VerificationRecord } from '../artifacts/manifest.js';
import { verifyArtifact } from '../verify/verify-artifact.js';
import { formatSeconds, selectDefinitions, type BackupCliContext } from './context.js';

// `backup verify PATH [ARTIFACT|--all] [--drill]`: the newest artifact of each definition, one artifact
// (by file name or path), or all of them. The result is written into each manifest.

export async function verifySubcommand(context: BackupCliContext): Promise<number> {
  const wanted = context.targets[0];
  const all = Boolean(context.values.all);
  if (wanted !== undefined && all) throw new UsageError('give an ARTIFACT or --all, not both');
  const engine = await context.engine();
  const reports: Array<{ artifact: string; ok: boolean; verification: VerificationRecord }> = [];
  for (const { definition } of selectDefinitions(context, undefined)) {
    if (!existsSync(definition.directory)) continue; // never run: nothing to verify
    await withDefinitionLock(definition.directory, definition.name, async () => {
      const history = await readHistory(definition);
      const records: ArtifactRecord[] = wanted !== undefined ? history.artifacts.filter((record) => record.manifest.artifact === basename(wanted)) : all ? history.artifacts : history.artifacts.slice(0, 1);
      for (const record of records) {
        const verification = await verifyArtifact(engine, record, { drill: Boolean(context.values.drill), verifyCommand: definition.verifyCommand });
        await writeJsonAtomically(record.manifestPath, { ...record.manifest, verification });
        reports.push({ artifact: record.artifactPath!, ok: verification.ok, verification });
      }
    });
  }
  if (wanted !== undefined && reports.length === 0) throw new UsageError(`no artifact "${basename(wanted)}" in these manifests' backups`);
  if (context.json) {
    write(context.io.stdout, JSON.stringify({ verifications: reports }, null, 2));
  } else {
    if (reports.length === 0) write(context.io.stdout, 'no artifacts to verify');
    for (const report of reports) {
      write(context.io.stdout, `${report.ok ? 'ok' : 'FAILED'} ${report.artifact} (${formatSeconds(report.verification.durationMs)})`);
      for (const check of report.verification.checks) write(context.io.stdout, `  ${check.ok ? 'ok' : 'FAILED'} ${check.name}: ${check.detail} (${formatSeconds(check.durationMs)})`);
    }
  }
  return reports.every((report) => report.ok) ? 0 : 1;
}
