import type { DriftChange, DriftReport, ProjectDrift, ServiceDrift } from '../model.js';

// The report for a ticket or a pull request: a headline verdict, where it was taken, a table per project
// and each service's changes as a bullet list with its reason. Only redacted values reach it.

export function renderDriftMarkdown(report: DriftReport): string {
  const lines: string[] = [];
  const { summary } = report;
  const drifted = summary.services - summary.byStatus['in-sync'];
  lines.push(
    report.inSync
      ? `# Drift report: in sync`
      : `# Drift report: drift found`,
    '',
    report.inSync
      ? `**Verdict: in sync.** ${plural(summary.services, 'service')} in ${plural(summary.projects, 'project')} run as the manifests say.`
      : `**Verdict: drift.** ${summary.projectsDrifted} of ${plural(summary.projects, 'project')} drifted: ${drifted} of ${plural(summary.services, 'service')} not in sync, ${plural(summary.changes, 'change')}.`,
    '',
    '| | |',
    '|---|---|',
    `| Generated | ${cell(report.generatedAt)} |`,
    `| Host | ${cell(report.host)} |`,
    `| Engine | Docker ${cell(report.engine.version)} (API ${cell(report.engine.apiVersion)}) |`,
    `| composelet | ${cell(report.composelet.version)} |`,
    `| Manifests | ${code(report.manifest.path)} |`,
    `| Manifest commit | ${manifestCommit(report)} |`,
  );
  for (const project of report.projects) lines.push('', ...renderProject(project));
  return `${lines.join('\n')}\n`;
}

function renderProject(project: ProjectDrift): string[] {
  const lines = [`## Project ${code(project.name)}: ${project.status}`, ''];
  if (project.services.length > 0) {
    lines.push('| Service | Status | Containers | Changes |', '|---|---|---|---|');
    for (const service of project.services) {
      const containers = service.containers.map((container) => `${code(container.name)} (${container.state}${container.owned ? '' : ', not owned'})`).join(', ');
      lines.push(`| ${code(service.name)} | ${statusText(service)} | ${containers || '-'} | ${service.changes.length} |`);
    }
  }
  for (const service of project.services.filter((candidate) => candidate.changes.length > 0)) {
    lines.push('', `### ${code(service.name)}: ${statusText(service)}`, '', ...service.changes.map(renderChange));
  }
  const resources = project.changes.filter((change) => change.category !== 'dangling-volume');
  if (resources.length > 0) lines.push('', '### Project resources and neighbours', '', ...resources.map(renderChange));
  const dangling = project.changes.filter((change) => change.category === 'dangling-volume');
  if (dangling.length > 0) {
    lines.push('', '### Dangling volumes (kept; `apply --prune` removes them)', '', ...dangling.map(renderDanglingVolume));
  }
  if ((project.suspensions ?? []).length > 0) {
    lines.push('', '### Suspended', '', ...(project.suspensions ?? []).map((entry) => `- ${entry.service === null ? 'the whole project' : code(entry.service)}: ${entry.message}`));
  }
  if ((project.failedRollouts ?? []).length > 0) {
    lines.push('', '### Rolled back', '', ...(project.failedRollouts ?? []).map((entry) => `- ${code(entry.service)}: ${entry.message}`));
  }
  const failingBackups = project.backups.filter((backup) => backup.failuresSinceSuccess > 0 || backup.lastSuccessAt === null);
  if (failingBackups.length > 0) {
    lines.push(
      '',
      '### Backups needing attention',
      '',
      ...failingBackups.map((backup) =>
        backup.failuresSinceSuccess > 0
          ? `- ${code(backup.name)} (${code(backup.service)}): ${backup.failuresSinceSuccess} failed run(s) since the last success (${backup.lastSuccessAt ?? 'never'}): ${backup.lastError ?? 'unknown error'}`
          : `- ${code(backup.name)} (${code(backup.service)}): never made yet; next run ${backup.nextRunAt ?? 'not scheduled'}`,
      ),
    );
  }
  if (project.policy.length > 0) {
    lines.push(
      '',
      '### Policy on the live containers',
      '',
      ...project.policy.map((finding) => `- **${finding.level}** ${code(finding.ruleId)} ${code(finding.container ?? finding.path)}: ${finding.message}; ${finding.fix}`),
    );
  }
  return lines;
}

function renderChange(change: DriftChange): string {
  const where = change.container === null ? '' : ` ${code(change.container)}`;
  const path = change.path === '' ? '' : ` ${code(change.path)}`;
  return `- **${change.category}**${where}${path}: ${inline(change.reason)}`;
}

function renderDanglingVolume(change: DriftChange): string {
  const volume = change.live as { name: string; service: string; number: number; target: string };
  return `- ${code(volume.name)}: anonymous volume of ${inline(volume.service)} #${volume.number} at ${inline(volume.target)}`;
}

function statusText(service: ServiceDrift): string {
  return service.status === 'in-sync' ? 'in sync' : `**${service.status}**`;
}

function manifestCommit(report: DriftReport): string {
  const git = report.manifest.git;
  if (git === null) return 'not a git checkout';
  return `${code(git.commit.slice(0, 12))}${git.dirty ? ' (uncommitted changes)' : ''}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Inline code that survives backticks inside. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text.replace(/\|/g, '\\|')}${fence === '``' ? ' ' : ''}${fence}`;
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

/** Free text on one line, with Markdown's active characters at line start neutralised. */
function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([<>])/g, '\\$1');
}
