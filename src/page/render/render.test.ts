import { describe, expect, it } from 'vitest';
import { shopSnapshot } from '../model/page-fixture.test-support.js';
import { renderDocument } from './document.js';
import { escapeHtml, html, raw } from './html.js';
import { describeReconcile, renderLastPlan, stateTone } from './overview.js';
import { filterAudit, renderSections } from './sections.js';

const NO_FILTER = { project: null, service: null };

describe('html', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"quoted" & 'single'`, '&quot;quoted&quot; &amp; &#39;single&#39;'],
    ['plain', 'plain'],
  ])('%s must be escaped as %s', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
    expect(html`<td title="${text}">${text}</td>`.value).toBe(`<td title="${escaped}">${escaped}</td>`);
  });

  it('arrays must be joined and markup made by html must not be escaped again', () => {
    expect(html`<ul>${['a', 'b<'].map((item) => html`<li>${item}</li>`)}</ul>`.value).toBe('<ul><li>a</li><li>b&lt;</li></ul>');
    expect(html`${raw('<b>')}${null}${false}${0}`.value).toBe('<b>0');
  });
});

describe('overview helpers', () => {
  it.each([
    ['healthy', 'up'],
    ['running', 'up'],
    ['starting', 'warn'],
    ['unhealthy', 'warn'],
    ['stopped', 'down'],
    ['missing', 'down'],
    ['completed', 'idle'],
  ] as const)('%s shows as %s', (state, tone) => {
    expect(stateTone(state)).toBe(tone);
  });

  it.each([
    [null, 'not yet'],
    [{ at: Date.UTC(2026, 0, 1), result: 'success' as const, durationMs: 12, operations: 1, failed: 0 }, 'success: 1 operation (0 failed) in 12 ms, 2026-01-01T00:00:00.000Z'],
    [{ at: Date.UTC(2026, 0, 1), result: 'error' as const, durationMs: 5, operations: 3, failed: 2 }, 'error: 3 operations (2 failed) in 5 ms, 2026-01-01T00:00:00.000Z'],
  ])('last reconcile %j reads %s', (last, text) => {
    expect(describeReconcile(last)).toBe(text);
  });
});

describe('the last plan', () => {
  it('must be absent before any plan changed something', () => {
    expect(renderLastPlan(null)).toBe('');
  });

  it('must list each step with its cause and result, and count the rest', () => {
    const text = (renderLastPlan(shopSnapshot().projects[0]!.lastPlan) as { value: string }).value;
    expect(text).toMatch(/<details class="plan"><summary>Last change: 5 operations, 2026-12-01T19:59:00.000Z<\/summary>/);
    expect(text).toContain('create-container container:shop-api-1</span> (spec changed: image acme/api:1 -&gt; acme/api:2): <span class="result-succeeded">succeeded</span>');
    expect(text).toContain('<span class="result-failed">failed</span>');
    expect(text).toContain('and 3 more');
  });
});

describe('the rendered page', () => {
  const snapshot = shopSnapshot();
  const page = renderDocument(snapshot, NO_FILTER, { script: true });

  it('the overview must show the last plan that changed something, without JavaScript', () => {
    expect(renderDocument(snapshot, NO_FILTER, { script: false })).toContain('<details class="plan"><summary>Last change: 5 operations');
  });

  it.each([
    ['db', 'healthy', 'running, healthy'],
    ['api', 'unhealthy', 'running, unhealthy'],
    ['worker', 'stopped', 'exited (137)'],
  ])('the overview must list %s as %s (%s)', (service, state, detail) => {
    const row = new RegExp(`<tr data-service="${service}" data-state="${state}">[\\s\\S]*?${escapeRegExp(detail)}[\\s\\S]*?</tr>`);
    expect(page).toMatch(row);
  });

  it.each([
    ['restarts and backoff', /<td class="number">4<\/td>\s*<td>crash-looping, 40s<\/td>/],
    ['image', /shop-api:1/],
    ['ports', /127\.0\.0\.1:8080-&gt;80\/tcp/],
    ['limits', /mem 256 MiB, cpus 0\.5/],
    ['the last reconcile', /success: 3 operations \(0 failed\) in 412 ms/],
    ['the drift reason', /limits: memory limit changed: 256 MiB -&gt; 96 MiB/],
    ['the backup', /shop\/nightly \(db\)<\/th><td>2026-12-01T03:00:00\.000Z<\/td><td class="number">2048 B/],
    ['the audit entry', /start-container container:shop-api-1/],
    ['one graph node per service', /(<g class="node[^>]*data-service="(api|db|worker)"[\s\S]*?){3}/],
  ])('must show %s', (_what, pattern) => {
    expect(page).toMatch(pattern);
  });

  it('must use semantic tables: captions, column and row headers', () => {
    expect(page.match(/<table/g)?.length).toBe(page.match(/<caption>/g)?.length);
    expect(page).toMatch(/<th scope="col">State<\/th>/);
    expect(page).toMatch(/<th scope="row">db/);
  });

  it('must label the audit filter controls and work as a plain GET form without script', () => {
    expect(page).toMatch(/<form class="filter" method="get"/);
    expect(page).toMatch(/<label for="audit-project">Project<\/label> <select id="audit-project" name="project">/);
    expect(page).toMatch(/<label for="audit-service">Service<\/label> <select id="audit-service" name="service">/);
    const withoutScript = renderDocument(snapshot, NO_FILTER, { script: false });
    expect(withoutScript).not.toContain('<script');
    expect(withoutScript).toContain('<tr data-service="db" data-state="healthy">');
  });

  it('must have no inline script or style (the CSP allows neither)', () => {
    expect(page).not.toMatch(/<script>|<style|style="| on[a-z]+="/);
  });

  it.each([
    [{ project: 'shop', service: null }, ['api', 'db']],
    [{ project: null, service: 'db' }, ['db']],
    [{ project: 'other', service: null }, []],
  ])('audit filter %j keeps %j', (filter, services) => {
    expect(filterAudit(snapshot.audit, filter).map((entry) => entry.service)).toEqual(services);
    const sections = renderSections(snapshot, filter);
    for (const service of ['api', 'db']) expect(sections['audit-body']!.includes(`data-service="${service}"`)).toBe(services.includes(service));
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
