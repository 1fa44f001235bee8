import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/audit-entry.js';
import { rollbacksOf } from './audit-events.js';
import { renderDailyMarkdown } from './render-markdown.js';
import { sampleReport } from './sample-report.test-support.js';

// What the day delivered: commits deployed and quarantined (git delivery), and rollbacks, from the audit
// lines rollouts write (`rollout`, result rolled-back or rollback-failed) and `composelet rollback` writes
// (actor rollback, its rollout succeeded).

const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
  time: '2026-01-01T10:00:00.000Z',
  actor: 'controller',
  user: 'ops@host',
  project: 'shop',
  service: 'api',
  action: 'rollout',
  resource: 'container:shop-api-1',
  cause: 'rollout: rolled back api: new container unhealthy after 4.5 s: db gone',
  specHashBefore: 'old',
  specHashAfter: 'new',
  result: 'rolled-back',
  error: 'new container unhealthy after 4.5 s: db gone',
  manifestCommit: 'c'.repeat(40),
  durationMs: 4500,
  ...fields,
});

describe('rollbacks in the daily report', () => {
  it.each<[string, Partial<AuditEntry>, unknown]>([
    [
      'a rollout the controller rolled back must be listed with its evidence',
      {},
      { time: '2026-01-01T10:00:00.000Z', project: 'shop', service: 'api', outcome: 'rolled-back', by: 'controller', reason: 'new container unhealthy after 4.5 s: db gone', commit: 'c'.repeat(40) },
    ],
    [
      'a rollback that failed too must be listed as such',
      { result: 'rollback-failed', error: 'old container gone' },
      { time: '2026-01-01T10:00:00.000Z', project: 'shop', service: 'api', outcome: 'rollback-failed', by: 'controller', reason: 'old container gone', commit: 'c'.repeat(40) },
    ],
    [
      "an operator's `composelet rollback` must be listed as theirs",
      { actor: 'rollback', result: 'succeeded', error: null, cause: 'rollout: rolled out api', manifestCommit: null },
      { time: '2026-01-01T10:00:00.000Z', project: 'shop', service: 'api', outcome: 'rolled-back-by-operator', by: 'ops@host', reason: 'rollout: rolled out api', commit: null },
    ],
  ])('%s', (_name, fields, expected) => {
    expect(rollbacksOf([entry(fields)])).toEqual([expected]);
  });

  it.each<[string, Partial<AuditEntry>]>([
    ['a rollout that succeeded is no rollback', { result: 'succeeded', error: null }],
    ['a rollout not started is no rollback', { result: 'not-started' }],
    ['another action is no rollback', { action: 'start-container', result: 'succeeded' }],
  ])('%s', (_name, fields) => {
    expect(rollbacksOf([entry(fields)])).toEqual([]);
  });

  it('the report with rollbacks, deployed and quarantined commits must validate and show each', () => {
    const report = {
      ...sampleReport(),
      commits: [
        { commit: 'a'.repeat(40), project: 'shop', outcome: 'deployed' as const, firstSeenAt: '2026-01-01T09:00:00.000Z' },
        { commit: 'b'.repeat(40), project: 'shop', outcome: 'quarantined' as const, firstSeenAt: '2026-01-01T09:30:00.000Z' },
      ],
      rollbacks: rollbacksOf([entry({})]),
    };
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../schemas/daily-report.v1.json', import.meta.url), 'utf8')));
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
    const text = renderDailyMarkdown(report);
    expect(text).toContain('## Deliveries and rollbacks');
    expect(text).toContain(`| ${'a'.repeat(12)} | shop | deployed |`);
    expect(text).toContain(`| ${'b'.repeat(12)} | shop | quarantined |`);
    expect(text).toContain('| 2026-01-01T10:00:00.000Z | shop | api | rolled-back | controller | new container unhealthy after 4.5 s: db gone |');
  });

  it('a report without deliveries must say so', () => {
    expect(renderDailyMarkdown({ ...sampleReport(), rollbacks: [] })).toContain('No commits deployed or quarantined, no rollbacks.');
  });
});
