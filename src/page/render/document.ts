import type { PageSnapshot } from '../model/page-snapshot.js';
import { html, raw, type SafeHtml } from './html.js';
import { renderSections, type AuditFilter } from './sections.js';

// The whole page: a skip link, a nav to the sections, and each section with the markup renderSections
// gives. The script (assets, built by esbuild at package time) only keeps it live; without it the page is
// complete as served, and the audit filter is a plain GET form.

function options(values: readonly string[], selected: string | null, allLabel: string): SafeHtml {
  return html`<option value=""${selected === null ? raw(' selected') : ''}>${allLabel}</option>${values.map(
    (value) => html`<option value="${value}"${value === selected ? raw(' selected') : ''}>${value}</option>`,
  )}`;
}

function auditFilterForm(snapshot: PageSnapshot, filter: AuditFilter): SafeHtml {
  const projects = [...new Set([...snapshot.projects.map((project) => project.name), ...snapshot.audit.map((entry) => entry.project)])].sort();
  const services = [...new Set([...snapshot.projects.flatMap((project) => project.services.map((service) => service.name)), ...snapshot.audit.flatMap((entry) => (entry.service ? [entry.service] : []))])].sort();
  return html`<form class="filter" method="get" action="/#audit" id="audit-filter">
<label for="audit-project">Project</label> <select id="audit-project" name="project">${options(projects, filter.project, 'all projects')}</select>
<label for="audit-service">Service</label> <select id="audit-service" name="service">${options(services, filter.service, 'all services')}</select>
<button type="submit">Filter</button>
</form>`;
}

export function renderDocument(snapshot: PageSnapshot, filter: AuditFilter, options: { script: boolean }): string {
  const sections = renderSections(snapshot, filter);
  const section = (id: string, title: string, body: string, before: SafeHtml | string = '') =>
    html`<section id="${id}" aria-labelledby="${id}-title"><h2 id="${id}-title">${title}</h2>${before}<div id="${id}-body" class="section-body">${raw(body)}</div></section>`;
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>composelet status</title>
<link rel="stylesheet" href="/page.css">
${options.script ? html`<script src="/page.js" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#overview">Skip to the overview</a>
<header>
<h1>composelet</h1>
<nav aria-label="Sections"><ul><li><a href="#overview">Overview</a></li><li><a href="#graph">Graph</a></li><li><a href="#drift">Drift</a></li><li><a href="#backups">Backups</a></li><li><a href="#audit">Audit</a></li><li><a href="#git">Git and rollouts</a></li></ul></nav>
<p id="status-line" class="status-line">${raw(sections['status-line']!)}</p>
<p id="live" class="live" role="status" aria-live="polite">static page: reload to update</p>
</header>
<main>
${section('overview', 'Overview', sections['overview-body']!)}
${section('graph', 'Dependency graph', sections['graph-body']!)}
${section('drift', 'Drift', sections['drift-body']!)}
${section('backups', 'Backups', sections['backups-body']!)}
${section('audit', 'Audit trail', sections['audit-body']!, auditFilterForm(snapshot, filter))}
${section('git', 'Git and rollouts', sections['git-body']!)}
</main>
<footer><p>Read-only: nothing on this page changes anything. <a href="/page.json">JSON</a> · <a href="/metrics">metrics</a></p></footer>
</body>
</html>`.value}`;
}
