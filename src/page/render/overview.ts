import type { PageProject, PageService } from '../model/page-snapshot.js';
import { html, type SafeHtml } from './html.js';

// The overview: one table per project, one row per service (state, health, restarts, backoff, image, ports,
// limits), the last reconcile with its plan's size, and the last plan that changed something, step by step
// (a <details> list: it opens without JavaScript). Server-rendered: it reads without JavaScript.

/** "success: 3 operations (0 failed) in 412 ms, 2026-12-01T20:00:00.000Z", or "not yet". */
export function describeReconcile(last: PageProject['lastReconcile']): string {
  if (last === null) return 'not yet';
  const operations = `${last.operations} operation${last.operations === 1 ? '' : 's'}`;
  return `${last.result}: ${operations} (${last.failed} failed) in ${last.durationMs} ms, ${new Date(last.at).toISOString()}`;
}

/** Down (stopped, missing), warning (unhealthy, starting) or up: the row's colour class. */
export function stateTone(state: PageService['state']): 'down' | 'warn' | 'up' | 'idle' {
  if (state === 'stopped' || state === 'missing') return 'down';
  if (state === 'unhealthy' || state === 'starting') return 'warn';
  if (state === 'completed' || state === 'scaled-to-zero') return 'idle';
  return 'up';
}

/** The last plan that changed something: one list item per step, "create-container container:shop-api-1
 * (spec changed) succeeded". */
export function renderLastPlan(plan: PageProject['lastPlan']): SafeHtml | '' {
  if (plan === null) return '';
  const count = plan.steps.length + plan.more;
  return html`<details class="plan"><summary>Last change: ${count} operation${count === 1 ? '' : 's'}, ${new Date(plan.at).toISOString()}</summary>
<ol>
${plan.steps.map((step) => html`<li><span class="mono">${step.kind} ${step.resource}</span> (${step.cause}): <span class="result-${step.result.replace(/\s+/g, '-')}">${step.result}</span></li>`)}
</ol>${plan.more > 0 ? html`<p class="meta">and ${plan.more} more (the audit log has every one)</p>` : ''}
</details>`;
}

function notes(service: PageService): SafeHtml {
  return html`${service.suspended ? html`<div class="note">${service.suspended}</div>` : ''}${
    service.rolledBack ? html`<div class="note">rolled back: ${service.rolledBack}</div>` : ''
  }`;
}

function serviceRow(service: PageService): SafeHtml {
  return html`<tr data-service="${service.name}" data-state="${service.state}">
<th scope="row">${service.name}${notes(service)}</th>
<td class="state tone-${stateTone(service.state)}"><span class="badge">${service.state}</span> <span class="detail">${service.detail}</span></td>
<td>${service.health}</td>
<td class="number">${service.restarts ?? '-'}</td>
<td>${service.backoff}</td>
<td class="mono">${service.image}</td>
<td class="mono">${service.ports.length === 0 ? '-' : service.ports.map((port) => html`<div>${port}</div>`)}</td>
<td>${service.limits}</td>
</tr>`;
}

export function renderProjectOverview(project: PageProject): SafeHtml {
  const problems = project.manifest.valid ? '' : html`<p class="problem" role="alert">The last manifest edit is invalid; the last good state is kept: ${project.manifest.issues.join('; ')}</p>`;
  return html`<div class="project" data-project="${project.name}">
<h3>${project.name}</h3>
${problems}${project.adoption ? html`<p class="note">${project.adoption}</p>` : ''}
<p class="meta">Last reconcile: ${describeReconcile(project.lastReconcile)}${project.commit ? html`; commit ${project.commit.slice(0, 12)}` : ''}</p>
${renderLastPlan(project.lastPlan)}
<div class="table-wrap" tabindex="0" role="region" aria-label="Services of ${project.name}">
<table class="services">
<caption>Services of ${project.name}</caption>
<thead><tr><th scope="col">Service</th><th scope="col">State</th><th scope="col">Health</th><th scope="col">Restarts</th><th scope="col">Backoff</th><th scope="col">Image</th><th scope="col">Ports</th><th scope="col">Limits</th></tr></thead>
<tbody>
${project.services.map(serviceRow)}
</tbody>
</table>
</div>
</div>`;
}

export function renderOverview(projects: readonly PageProject[]): SafeHtml {
  if (projects.length === 0) return html`<p>No project loaded yet.</p>`;
  return html`${projects.map(renderProjectOverview)}`;
}
