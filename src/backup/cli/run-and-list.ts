import { write } from '../../cli/command.js';
import { readHistory } from '../artifacts/history.js';
import { runBackup, type BackupResult } from '../run-backup.js';
import { nextRunAt } from '../schedule/due.js';
import { formatBytes, formatSeconds, selectDefinitions, type BackupCliContext } from './context.js';

// `backup run PATH [SERVICE|NAME]` and `backup list PATH`.

export async function runSubcommand(context: BackupCliContext): Promise<number> {
  const selected = selectDefinitions(context, context.targets[0]);
  if (selected.length === 0) {
    write(context.io.stderr, 'composelet backup run: no backup definitions in these manifests');
    return 1;
  }
  const engine = await context.engine();
  const results: BackupResult[] = [];
  for (const { project, definition } of selected) {
    const result = await runBackup(engine, project, definition, { trigger: 'manual' });
    results.push(result);
    if (!context.json) write(context.io.stdout, describeRun(result));
  }
  if (context.json) write(context.io.stdout, JSON.stringify({ runs: results }, null, 2));
  return results.every((result) => result.ok) ? 0 : 1;
}

export function describeRun(result: BackupResult): string {
  const name = `${result.project}/${result.definition}`;
  const lines: string[] = [];
  if (result.artifactPath && result.manifest) {
    const verified = result.verification ? (result.verification.ok ? ', verified' : ', VERIFICATION FAILED') : '';
    lines.push(`${result.ok ? 'ok' : 'FAILED'} ${name}: ${result.artifactPath} (${formatBytes(result.manifest.size)}, ${formatSeconds(result.durationMs)}${verified})`);
    if (!result.ok && result.error) lines.push(`  ${result.error}`);
  } else {
    lines.push(`FAILED ${name}: ${result.error ?? 'unknown error'}`);
  }
  for (const path of result.retention?.deleted ?? []) if (!path.endsWith('.json')) lines.push(`  retention deleted ${path}`);
  if (result.retention?.decision.note) lines.push(`  retention: ${result.retention.decision.note}`);
  for (const warning of result.warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}

export async function listSubcommand(context: BackupCliContext): Promise<number> {
  const selected = selectDefinitions(context, context.targets[0]);
  const now = new Date();
  const listing = [];
  for (const { project, definition } of selected) {
    const history = await readHistory(definition);
    listing.push({
      project: project.name,
      name: definition.name,
      service: definition.service,
      strategy: definition.strategy,
      directory: definition.directory,
      schedule: definition.schedule?.text ?? null,
      nextRunAt: nextRunAt(definition, now, { lastRunAt: history.artifacts[0] ? new Date(history.artifacts[0].manifest.startedAt) : null })?.toISOString() ?? null,
      retention: definition.retention,
      artifacts: history.artifacts.map((record) => ({ path: record.artifactPath, ...record.manifest })),
      failures: history.failures.map((record) => ({ path: record.manifestPath, ...record.manifest })),
    });
  }
  if (context.json) {
    write(context.io.stdout, JSON.stringify({ backups: listing }, null, 2));
    return 0;
  }
  if (listing.length === 0) write(context.io.stdout, 'no backup definitions');
  for (const entry of listing) {
    const schedule = entry.schedule ? `, schedule ${entry.schedule}, next ${entry.nextRunAt ?? 'never'}` : ', no schedule';
    write(context.io.stdout, `${entry.project}/${entry.name} (service ${entry.service}, ${entry.strategy}${schedule}) in ${entry.directory}:`);
    const rows = [
      ...entry.artifacts.map((artifact) => ({ at: artifact.startedAt, text: `  ${artifact.artifact}  ${formatBytes(artifact.size)}  ${artifact.verification ? (artifact.verification.ok ? 'verified' : 'verification failed') : 'not verified'}` })),
      ...entry.failures.map((failure) => ({ at: failure.startedAt, text: `  ${failure.startedAt}  failed: ${failure.error ?? 'unknown'}` })),
    ].sort((left, right) => right.at.localeCompare(left.at));
    write(context.io.stdout, rows.length ? rows.map((row) => row.text).join('\n') : '  (no backups yet)');
  }
  return 0;
}
