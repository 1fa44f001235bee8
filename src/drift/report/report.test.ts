import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeletVersion } from '../../meta/version.js';
import type { DriftChange, ProjectDrift } from '../model.js';
import { renderDriftMarkdown } from './render-markdown.js';
import { assembleReport, driftExitCode, failedRolloutNotes } from './report.js';

// The report around the projects' drift: header, summary counts, exit code, and the Markdown rendering.

const change = (overrides: Partial<DriftChange>): DriftChange => ({
  category: 'configuration',
  container: 'p-api-1',
  path: '/environment/LOG_LEVEL',
  op: 'replace',
  desired: 'info',
  live: 'debug',
  reason: 'env LOG_LEVEL changed: info -> debug',
  ...overrides,
});

const drifted: ProjectDrift = {
  name: 'p',
  status: 'drifted',
  services: [
    {
      name: 'api',
      status: 'drifted',
      replicas: 1,
      containers: [{ name: 'p-api-1', id: '0123456789ab', state: 'running', exitCode: null, owned: true }],
      changes: [
        change({}),
        change({
          path: '/environment/DB_PASSWORD',
          desired: '<redacted:11111111>',
          live: '<redacted:22222222>',
          reason: 'env DB_PASSWORD changed: <redacted:11111111> -> <redacted:22222222>',
        }),
        change({ category: 'limits', path: '/limits/memoryBytes', desired: 1, live: 2, reason: 'memory limit changed out of band: 1B -> 2B' }),
      ],
    },
    { name: 'db', status: 'in-sync', replicas: 1, containers: [], changes: [] },
    { name: 'old', status: 'orphan', replicas: 0, containers: [], changes: [change({ category: 'orphan', path: '', op: 'add', reason: 'orphan: gone | really' })] },
  ],
  changes: [change({ category: 'unowned', container: 'stranger', path: '/networks/p_default/containers/stranger', op: 'add', reason: 'stranger on p_default' })],
  policy: [],
  backups: [],
};

const inSync: ProjectDrift = { name: 'q', status: 'in-sync', services: [{ name: 'web', status: 'in-sync', replicas: 1, containers: [], changes: [] }], changes: [], policy: [], backups: [] };

function report(projects: ProjectDrift[]) {
  return assembleReport({
    projects,
    generatedAt: new Date('2024-05-01T12:00:00.000Z'),
    host: 'host-1',
    engine: { version: '20.10.24', apiVersion: '1.41' },
    manifest: { path: '/srv/manifests', git: { commit: 'a'.repeat(40), dirty: true } },
  });
}

describe('the drift report', () => {
  it('summary counts must add up services by status and changes by category', () => {
    const built = report([drifted, inSync]);
    expect(built).toMatchObject({ schemaVersion: '1', generatedAt: '2024-05-01T12:00:00.000Z', host: 'host-1', inSync: false });
    expect(built.summary).toEqual({
      projects: 2,
      projectsDrifted: 1,
      services: 4,
      byStatus: { 'in-sync': 2, drifted: 1, missing: 0, stopped: 0, orphan: 1, foreign: 0, 'not-adopted': 0 },
      changes: 5,
      byCategory: { missing: 0, stopped: 0, configuration: 2, limits: 1, network: 0, foreign: 0, 'not-adopted': 0, orphan: 1, unowned: 1, 'dangling-volume': 0 },
    });
    expect(driftExitCode(built)).toBe(2);
    expect(driftExitCode(report([inSync]))).toBe(0);
  });

  it("composelet's version must come from package.json", () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(composeletVersion()).toBe(manifest.version);
  });

  it('the Markdown must give a verdict, the header, a table per project and the changes with reasons', () => {
    const markdown = renderDriftMarkdown(report([drifted, inSync]));
    expect(markdown).toContain('# Drift report: drift found');
    expect(markdown).toContain('**Verdict: drift.** 1 of 2 projects drifted: 2 of 4 services not in sync, 5 changes.');
    expect(markdown).toContain(`| Manifest commit | \`aaaaaaaaaaaa\` (uncommitted changes) |`);
    expect(markdown).toContain('| `api` | **drifted** | `p-api-1` (running) | 3 |');
    expect(markdown).toContain('- **limits** `p-api-1` `/limits/memoryBytes`: memory limit changed out of band: 1B -\\> 2B');
    // Markers must stay visible (not swallowed as HTML tags).
    expect(markdown).toContain('\\<redacted:11111111\\>');
    expect(markdown).toContain('### Project resources and neighbours');
    expect(markdown).toContain('## Project `q`: in-sync');
  });

  it('a suspension must show in the Markdown as "suspended by X until T: reason"', () => {
    const message = 'suspended by ops@host until 2026-03-01T11:00:00.000Z: vacuum full';
    const markdown = renderDriftMarkdown(report([{ ...inSync, suspensions: [{ service: 'db', by: 'ops@host', until: '2026-03-01T11:00:00.000Z', reason: 'vacuum full', message }] }]));
    expect(markdown).toContain(`### Suspended\n\n- \`db\`: ${message}`);
  });

  it('dangling volumes must be counted and get a section of their own in the Markdown', () => {
    const dangling = change({
      category: 'dangling-volume',
      container: null,
      path: '/volumes/p_api_2_data',
      op: 'add',
      desired: null,
      live: { name: 'p_api_2_data', service: 'api', number: 2, target: '/data' },
      reason: 'dangling: anonymous volume of api #2 at /data, no service needs it: kept; `apply --prune` removes it',
    });
    const built = report([{ ...inSync, status: 'drifted', changes: [dangling] }]);
    expect(built.summary.byCategory['dangling-volume']).toBe(1);
    const markdown = renderDriftMarkdown(built);
    expect(markdown).toContain('### Dangling volumes (kept; `apply --prune` removes them)');
    expect(markdown).toContain('- `p_api_2_data`: anonymous volume of api #2 at /data');
    expect(markdown).not.toContain('### Project resources and neighbours');
  });

  it('a failed rollout must show in the Markdown as "running the previous spec, the desired one failed"', () => {
    const failedRollouts = failedRolloutNotes({ api: { specHash: 'new', previousSpecHash: 'old', at: '2026-03-01T11:00:00.000Z', reason: 'rolled back api: new container exited with code 1 after 0.4 s' } });
    const markdown = renderDriftMarkdown(report([{ ...inSync, failedRollouts }]));
    expect(markdown).toContain('### Rolled back\n\n- `api`: running the previous spec, the desired one failed: rolled back api: new container exited with code 1 after 0.4 s');
  });

  it('an in-sync report must say so in its headline', () => {
    const markdown = renderDriftMarkdown(report([inSync]));
    expect(markdown.split('\n')[0]).toBe('# Drift report: in sync');
    expect(markdown).toContain('**Verdict: in sync.** 1 service in 1 project run as the manifests say.');
  });
});
