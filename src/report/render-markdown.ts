import type { DailyReport } from './model.js';

// The daily report for people: a heading per part, a table where there are rows, a sentence where there
// are none. Every value comes from the report, which holds no secret values.

export function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60 ? ` ${seconds % 60}s` : ''}`;
  return `${Math.floor(minutes / 60)}h${minutes % 60 ? ` ${minutes % 60}m` : ''}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const cell = (value: string | number) => String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

export function renderDailyMarkdown(report: DailyReport): string {
  const lines: string[] = [
    `# composelet daily report`,
    '',
    `${report.period.since} to ${report.period.until} on ${report.host}, manifests ${report.manifest.path}${report.manifest.git ? ` at ${report.manifest.git.commit.slice(0, 12)}${report.manifest.git.dirty ? ' (dirty)' : ''}` : ''}`,
    '',
    '## Services',
    '',
  ];
  lines.push(
    ...table(
      ['project', 'service', 'status', 'state', 'health', 'heals', 'restarts', 'crash loops', 'down (at least)'],
      report.services.map((row) => [row.project, row.service, row.status, row.state, row.health, row.heals, row.restarts, row.crashLoops, `${formatDuration(row.downMs)}${row.downNow ? ' (down now)' : ''}`]),
    ),
  );
  lines.push('', '## Backups', '');
  if (report.backups.length === 0) lines.push('No backups are defined.');
  else
    lines.push(
      ...table(
        ['project', 'definition', 'service', 'made', 'verified', 'failed', 'missed', 'size', 'last error'],
        report.backups.map((row) => [row.project, row.definition, row.service, row.made, row.verified, row.failed, row.missed, formatBytes(row.sizeBytes), row.lastError ?? '-']),
      ),
      '',
      `Total made: ${formatBytes(report.backups.reduce((total, row) => total + row.sizeBytes, 0))}.`,
    );
  lines.push('', '## Drift and policy', '');
  const { drift } = report;
  lines.push(drift.projectsDrifted === 0 ? `In sync: ${drift.services} services in ${drift.projects} projects.` : `Drift: ${drift.projectsDrifted} of ${drift.projects} projects, ${drift.changes} changes (run \`composelet drift\` for details).`);
  const findings = report.projects.flatMap((project) => project.policy.map((finding) => [project.project, finding.service ?? '-', finding.level, finding.ruleId, finding.message]));
  if (findings.length > 0) lines.push('', ...table(['project', 'service', 'level', 'rule', 'finding'], findings));
  lines.push('', '## What the controller and operators did', '');
  const { activity } = report;
  if (activity.entries === 0) lines.push(report.audit.found ? 'Nothing recorded in the period.' : `No audit log at ${report.audit.path}.`);
  else {
    lines.push(`${activity.entries} actions, ${activity.failed} failed.`, '');
    lines.push(...table(['action', 'count'], activity.byAction.map((row) => [row.key, row.count])), '');
    lines.push(...table(['actor', 'count'], activity.byActor.map((row) => [row.key, row.count])));
  }
  if (report.audit.skippedLines > 0) lines.push('', `${report.audit.skippedLines} unreadable audit lines skipped.`);
  lines.push('', '## Suspensions', '');
  const inForce = report.projects.flatMap((project) => project.suspensions.map((note) => [project.project, note.service ?? '(project)', note.message]));
  lines.push(...(inForce.length === 0 ? ['None in force.'] : table(['project', 'service', 'in force'], inForce)));
  if (report.suspensionEvents.length > 0) {
    lines.push('', ...table(['time', 'project', 'service', 'action', 'by', 'reason'], report.suspensionEvents.map((event) => [event.time, event.project, event.service ?? '(project)', event.action, event.user, event.cause])));
  }
  lines.push('', '## Deliveries and rollbacks', '');
  if (report.commits.length === 0 && report.rollbacks.length === 0) lines.push('No commits deployed or quarantined, no rollbacks.');
  if (report.commits.length > 0) lines.push(...table(['commit', 'project', 'outcome', 'first seen'], report.commits.map((row) => [row.commit.slice(0, 12), row.project, row.outcome, row.firstSeenAt])));
  if (report.rollbacks.length > 0) {
    if (report.commits.length > 0) lines.push('');
    lines.push(...table(['time', 'project', 'service', 'outcome', 'by', 'why'], report.rollbacks.map((row) => [row.time, row.project, row.service, row.outcome, row.by, row.reason])));
  }
  return `${lines.join('\n')}\n`;
}
