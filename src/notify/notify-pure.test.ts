import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.js';
import { Deduplicator } from './dedupe.js';
import { describeEvent } from './events.js';
import { formatRequest, type Notification } from './format.js';
import { describeTarget, parseNotifyTarget } from './targets.js';

describe('parseNotifyTarget', () => {
  it.each([
    ['https://hooks.example.com/composelet', 'webhook', 'https://hooks.example.com/composelet'],
    ['webhook+http://127.0.0.1:9000/in', 'webhook', 'http://127.0.0.1:9000/in'],
    ['ntfy+https://ntfy.sh/ops-alerts', 'ntfy', 'https://ntfy.sh/ops-alerts'],
    ['SLACK+https://hooks.slack.com/services/T0/B0/xyz', 'slack', 'https://hooks.slack.com/services/T0/B0/xyz'],
  ])('%s must be a %s target at %s', (text, kind, url) => {
    const target = parseNotifyTarget(text);
    expect({ kind: target.kind, url: target.url.href }).toEqual({ kind, url });
  });

  it.each([
    ['teams+https://example.com/hook', 'unknown type "teams+"'],
    ['ftp://example.com', 'expected an http(s) URL'],
    ['hooks.slack.com/services/T0/B0/secret', 'expected an http(s) URL'],
  ])('%s must be rejected: %s', (text, message) => {
    expect(() => parseNotifyTarget(text)).toThrow(message);
  });

  it('an error and a description must not show the secret part of the URL', () => {
    expect(() => parseNotifyTarget('matrix+https://user:pw@hooks.example.com/T0/secret-path')).toThrow(/^(?!.*(secret-path|pw)).*$/);
    expect(describeTarget(parseNotifyTarget('slack+https://hooks.slack.com/services/T0/B0/secret-path'))).toBe('slack https://hooks.slack.com');
  });
});

describe('Deduplicator', () => {
  const HOUR = 3_600_000;
  const minutes = (count: number) => count * 60_000;
  it.each([
    ['a new condition notifies', [[true, 0]], ['firing']],
    ['the same condition again within the hour is quiet', [[true, 0], [true, minutes(5)], [true, minutes(59)]], ['firing', null, null]],
    ['still on after an hour notifies again', [[true, 0], [true, HOUR]], ['firing', 'firing']],
    ['its end sends resolved, once', [[true, 0], [false, minutes(5)], [false, minutes(6)]], ['firing', 'resolved', null]],
    ['an end never announced is quiet', [[false, 0]], [null]],
    ['flapping within the hour is quiet, and so is its end', [[true, 0], [false, minutes(1)], [true, minutes(2)], [false, minutes(3)]], ['firing', 'resolved', null, null]],
    ['back after the hour notifies again', [[true, 0], [false, minutes(1)], [true, HOUR + 1]], ['firing', 'resolved', 'firing']],
    ['a one-off notifies once an hour', [[null, 0], [null, minutes(30)], [null, HOUR]], ['firing', null, 'firing']],
  ] as const)('%s', (_name, reports, decisions) => {
    const dedupe = new Deduplicator({ windowMs: HOUR });
    expect(reports.map(([active, at]) => dedupe.decide({ key: 'k', active }, at))).toEqual(decisions);
  });

  it('different conditions must not quiet each other', () => {
    const dedupe = new Deduplicator({ windowMs: 3_600_000 });
    expect([dedupe.decide({ key: 'a', active: true }, 0), dedupe.decide({ key: 'b', active: true }, 1)]).toEqual(['firing', 'firing']);
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999999, 1_000],
    [3, 0.5, 3_000],
    [7, 0.999999, 60_000],
    [30, 0, 30_000],
  ])('retry %i with random %d must wait %i ms (base 1 s, doubling, capped at 60 s)', (retry, random, expected) => {
    expect(retryDelayMs(retry, { baseMs: 1_000, maxMs: 60_000 }, () => random)).toBe(expected);
  });
});

describe('describeEvent', () => {
  it.each([
    [
      { kind: 'commit-quarantined', commit: 'def4567aa', reason: 'stacks/shop/compose.yaml:3:5: invalid YAML', inForce: 'abc1234bb', projects: ['shop'] },
      { key: 'commit-quarantined/def4567aa', active: null, severity: 'warning', title: 'commit def4567 rejected: stacks/shop/compose.yaml:3:5: invalid YAML; abc1234 stays in force', fields: { commit: 'def4567aa', reason: 'stacks/shop/compose.yaml:3:5: invalid YAML', inForce: 'abc1234bb', projects: 'shop' } },
    ],
    [
      { kind: 'commit-quarantined', commit: 'def4567aa', reason: 'rollout failed', inForce: null, projects: [] },
      { key: 'commit-quarantined/def4567aa', active: null, severity: 'warning', title: 'commit def4567 rejected: rollout failed', fields: { commit: 'def4567aa', reason: 'rollout failed', inForce: 'none' } },
    ],
  ] as const)('%o must be described as %o (a one-off, keyed by commit)', (event, expected) => {
    expect(describeEvent({ ...event, projects: [...event.projects] })).toEqual(expected);
  });
});

describe('formatRequest', () => {
  const notification = (status: 'firing' | 'resolved'): Notification => ({
    status,
    at: '2025-01-01T00:00:00.000Z',
    source: 'box',
    description: describeEvent({ kind: 'crash-loop', project: 'shop', service: 'api', active: status === 'firing' }),
  });

  it('a generic webhook must get the event as JSON', () => {
    const request = formatRequest('webhook', notification('firing'));
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      source: 'composelet',
      status: 'firing',
      event: 'crash-loop',
      key: 'crash-loop/shop/api',
      severity: 'critical',
      title: 'shop/api is crash looping',
      fields: { project: 'shop', service: 'api' },
      host: 'box',
      at: '2025-01-01T00:00:00.000Z',
    });
  });

  it.each([
    ['firing', 'composelet: CRITICAL: shop/api is crash looping', 'urgent', 'rotating_light'],
    ['resolved', 'composelet: RESOLVED: shop/api is crash looping', 'default', 'white_check_mark'],
  ] as const)('ntfy (%s) must get the text with title, priority and tags headers', (status, title, priority, tags) => {
    const request = formatRequest('ntfy', notification(status));
    expect(request.headers).toMatchObject({ title, priority, tags });
    expect(request.body).toContain('shop/api is crash looping\nproject: shop\nservice: api');
  });

  it('slack must get {"text": …} with the headline in bold', () => {
    expect(JSON.parse(formatRequest('slack', notification('resolved')).body)).toEqual({ text: '*composelet RESOLVED: shop/api is crash looping*\nproject=`shop` service=`api` (box)' });
  });
});

describe('describeEvent of a rollout', () => {
  it.each([
    ['rolled-back', 'warning', 'the rollout of shop/api was rolled back'],
    ['rollback-failed', 'critical', 'the rollout of shop/api failed, and so did its rollback'],
  ] as const)('a %s rollout must be a one-off %s "%s" carrying the evidence', (result, severity, title) => {
    const reason = 'rolled back api: new container unhealthy after 12 s: db gone';
    expect(describeEvent({ kind: 'rollout-rolled-back', project: 'shop', service: 'api', result, reason })).toEqual({
      key: 'rollout-rolled-back/shop/api',
      active: null,
      severity,
      title,
      fields: { project: 'shop', service: 'api', reason },
    });
  });
});
