import type { AuditEntry } from '../../audit/audit-entry.js';
import type { PageSnapshot } from '../model/page-snapshot.js';
import { renderGraphSvg } from '../graph/render-svg.js';
import { html, type SafeHtml } from './html.js';
import { renderOverview } from './overview.js';

// The page's sections other than the overview: graph, drift, backups, audit trail, git and rollbacks.
// Each is a function of the snapshot alone, so the server renders the same markup for the first load and
// for each live update (the client swaps a section in when its markup changed).

export interface AuditFilter {
  project: string | null;
  service: string | null;
}

export function renderGraphs(snapshot: PageSnapshot): SafeHtml {
  if (snapshot.projects.length === 0) return html`<p>No project loaded yet.</p>`;
  return html`${snapshot.projects.map(
    (project) => html`<figure class="graph-figure"><figcaption>${project.name}: each service waits for the ones its arrows point to</figcaption><div class="graph-wrap">${renderGraphSvg(project.name, project.graph)}</div></figure>`,
  )}`;
}

export function renderDrift(snapshot: PageSnapshot): SafeHtml {
  if (snapshot.drift === null) return html`<p>No drift pass yet (the controller runs one shortly after start, then every --drift-interval).</p>`;
  const rows = snapshot.drift.projects.flatMap((project) =>
    project.services.map(
      (service) => html`<tr data-project="${project.name}" data-service="${service.name}" data-status="${service.status}"><th scope="row">${project.name}/${service.name}</th><td>${service.status}</td><td>${
        service.changes.length === 0 ? '-' : html`<ul>${service.changes.map((change) => html`<li data-category="${change.category}">${change.category}: ${change.reason}</li>`)}</ul>`
      }</td></tr>`,
    ),
  );
  const projectChanges = snapshot.drift.projects.flatMap((project) => project.changes.map((change) => html`<li>${project.name}: ${change.category}: ${change.reason}</li>`));
  return html`<p class="meta">Drift pass of ${snapshot.drift.generatedAt}</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Drift"><table class="drift"><caption>Drift per service</caption>
<thead><tr><th scope="col">Service</th><th scope="col">Status</th><th scope="col">Reasons</th></tr></thead>
<tbody>${rows}</tbody></table></div>${projectChanges.length > 0 ? html`<ul>${projectChanges}</ul>` : ''}`;
}

export function renderBackups(snapshot: PageSnapshot): SafeHtml {
  if (snapshot.backups.length === 0) return html`<p>No backup is defined (x-composelet.backup).</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Backups"><table class="backups"><caption>Backups</caption>
<thead><tr><th scope="col">Backup</th><th scope="col">Last success</th><th scope="col">Size</th><th scope="col">Failures</th><th scope="col">Next run</th></tr></thead>
<tbody>${snapshot.backups.map(
    (backup) => html`<tr><th scope="row">${backup.project}/${backup.definition} (${backup.service})</th><td>${backup.lastSuccessAt ?? 'never'}</td><td class="number">${
      backup.lastSizeBytes === null ? '-' : `${backup.lastSizeBytes} B`
    }</td><td>${backup.failuresSinceSuccess > 0 ? `${backup.failuresSinceSuccess}: ${backup.lastError ?? ''}` : '0'}</td><td>${backup.nextRunAt ?? '-'}</td></tr>`,
  )}</tbody></table></div>`;
}

export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  return entries.filter((entry) => (filter.project === null || entry.project === filter.project) && (filter.service === null || entry.service === filter.service));
}

export function renderAuditRows(entries: readonly AuditEntry[], filter: AuditFilter): SafeHtml {
  const shown = filterAudit(entries, filter);
  if (shown.length === 0) return html`<p>No audit entry${filter.project || filter.service ? ' matches the filter' : ' yet'}.</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Audit trail"><table class="audit"><caption>Recent audit entries, newest first</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Service</th><th scope="col">Action</th><th scope="col">Result</th><th scope="col">Cause</th></tr></thead>
<tbody>${shown.map(
    (entry) => html`<tr data-project="${entry.project}" data-service="${entry.service ?? ''}"><td class="mono">${entry.time}</td><th scope="row">${entry.project}/${entry.service ?? '-'}</th><td>${entry.action} ${entry.resource}</td><td>${entry.result}${
      entry.error ? html`: ${entry.error}` : ''
    }</td><td>${entry.cause}</td></tr>`,
  )}</tbody></table></div>`;
}

export function renderGit(snapshot: PageSnapshot): SafeHtml {
  const rolledBack = snapshot.projects.flatMap((project) => project.services.filter((service) => service.rolledBack !== null).map((service) => html`<li>${project.name}/${service.name}: ${service.rolledBack}</li>`));
  const rollbacks = html`<h3>Rollbacks</h3>${rolledBack.length === 0 ? html`<p>No service runs a previous spec.</p>` : html`<ul>${rolledBack}</ul>`}`;
  const git = snapshot.git;
  if (git === null) return html`<p>Manifests are read from a directory (run --git delivers from a repository).</p>${rollbacks}`;
  return html`<p>${git.summary}</p>
<dl><dt>Repository</dt><dd class="mono">${git.url} (${git.branch}${git.path ? `, ${git.path}` : ''})</dd><dt>Commit in force</dt><dd class="mono">${git.commit ?? 'none yet'}</dd><dt>Last fetch</dt><dd>${git.lastFetchSuccessAt ?? 'none yet'}${git.lastFetchError ? html`; failing: ${git.lastFetchError}` : ''}</dd></dl>
<h3>Quarantined commits</h3>${
    git.quarantined.length === 0
      ? html`<p>None.</p>`
      : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Quarantined commits"><table><caption>Quarantined commits, newest first</caption><thead><tr><th scope="col">Commit</th><th scope="col">When</th><th scope="col">Why</th></tr></thead><tbody>${git.quarantined.map(
          (entry) => html`<tr><th scope="row" class="mono">${entry.commit.slice(0, 12)}</th><td>${entry.at}</td><td>${entry.reason}</td></tr>`,
        )}</tbody></table></div>`
  }${rollbacks}`;
}

export function renderStatusLine(snapshot: PageSnapshot): SafeHtml {
  return html`<span class="${snapshot.engineConnected ? 'ok' : 'problem'}">${snapshot.engineConnected ? 'engine connected' : 'engine not connected'}</span>${
    snapshot.readOnly ? html` · <span class="problem">read-only: the audit log cannot be written</span>` : ''
  } · updated <time datetime="${snapshot.generatedAt}">${snapshot.generatedAt}</time>`;
}

/** Every live section by its element id: what the first render and each server-sent update carry. */
export function renderSections(snapshot: PageSnapshot, filter: AuditFilter): Record<string, string> {
  return {
    'status-line': renderStatusLine(snapshot).value,
    'overview-body': renderOverview(snapshot.projects).value,
    'graph-body': renderGraphs(snapshot).value,
    'drift-body': renderDrift(snapshot).value,
    'backups-body': renderBackups(snapshot).value,
    'audit-body': renderAuditRows(snapshot.audit, filter).value,
    'git-body': renderGit(snapshot).value,
  };
}
