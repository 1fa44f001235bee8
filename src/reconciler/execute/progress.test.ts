import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ExecutionEvent, ExecutionReport } from './execute.js';
import type { Operation } from '../plan/plan.js';
import { createProgressReporter } from './progress.js';

// The progress reporter: exact plain lines for logs, live lines for terminals.

const network: Operation = {
  kind: 'remove-network',
  id: 0,
  resourceId: 'network:demo_default',
  service: null,
  cause: 'orphan',
  dependsOn: [],
  network: 'demo_default',
};
const createApi: Operation = {
  kind: 'start-container',
  id: 1,
  resourceId: 'container:demo-api-1',
  service: 'api',
  cause: 'new container',
  dependsOn: [],
  container: 'demo-api-1',
  postStart: [],
};
const waitDb: Operation = {
  kind: 'wait',
  id: 2,
  resourceId: 'container:demo-db-1',
  service: 'db',
  cause: 'needed by api: service_healthy',
  dependsOn: [],
  container: 'demo-db-1',
  condition: 'healthy',
  timeoutSeconds: null,
};
const waitApi: Operation = { ...waitDb, id: 4, resourceId: 'container:demo-api-1', service: 'api', container: 'demo-api-1', dependsOn: [1] };
const startWeb: Operation = { ...createApi, id: 3, resourceId: 'container:demo-web-1', service: 'web', container: 'demo-web-1', dependsOn: [1] };

const events: ExecutionEvent[] = [
  { type: 'started', operation: network },
  { type: 'started', operation: createApi },
  { type: 'started', operation: waitDb },
  { type: 'succeeded', operation: network },
  { type: 'failed', operation: createApi, error: 'port is already allocated' },
  { type: 'skipped', operation: startWeb, error: 'dependency [1] failed' },
  { type: 'skipped', operation: waitApi, error: 'dependency [1] failed' },
  { type: 'succeeded', operation: waitDb },
];

const report: ExecutionReport = {
  results: [
    { id: 0, status: 'succeeded', durationMs: 10 },
    { id: 1, status: 'failed', error: 'port is already allocated', durationMs: 20 },
    { id: 2, status: 'succeeded', durationMs: 3000 },
    { id: 3, status: 'skipped', error: 'dependency [1] failed', durationMs: 0 },
    { id: 4, status: 'skipped', error: 'dependency [1] failed', durationMs: 0 },
  ],
  totals: { succeeded: 2, failed: 1, skipped: 2, abandoned: 0, unneeded: 0 },
  durationMs: 3_240,
};

function capture(interactive: boolean) {
  let output = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      output += chunk;
      done();
    },
  });
  let time = 0;
  const reporter = createProgressReporter({ stream, interactive, now: () => (time += 100) });
  return { reporter, output: () => output };
}

describe('progress', () => {
  it('a non-interactive reporter must print one plain line per start, met wait, failure and skip, then a summary', () => {
    const { reporter, output } = capture(false);
    for (const event of events) reporter.onEvent(event);
    reporter.finish(report);
    expect(output()).toBe(
      [
        'network:demo_default: removing (op [0])',
        'service api: starting (op [1])',
        'service db: waiting for healthy (op [2])',
        'service api: failed: port is already allocated',
        'service web: skipped: dependency [1] failed',
        'service api: skipped: dependency [1] failed',
        'service db: healthy (op [2])',
        '2 succeeded, 1 failed, 2 skipped in 3.2s',
        '',
      ].join('\n'),
    );
  });

  it('the summary must count abandoned operations when there are any', () => {
    const { reporter, output } = capture(false);
    reporter.finish({ ...report, totals: { ...report.totals, abandoned: 2 } });
    expect(output()).toBe('2 succeeded, 1 failed, 2 skipped, 2 abandoned in 3.2s\n');
  });

  it('an interactive reporter must redraw one line per service in place and end with the summary', () => {
    const { reporter, output } = capture(true);
    // Passed unbound, as the CLI does.
    const { onEvent, finish } = reporter;
    for (const event of events) onEvent(event);
    finish(report);
    const text = output();
    expect(text).toContain('\u001b[2K');
    expect(text).toContain('\u001b[3A');
    expect(text).toContain('service db            waiting for healthy');
    expect(text.endsWith('2 succeeded, 1 failed, 2 skipped in 3.2s\n')).toBe(true);
    // The last frame: every label once, failures kept, the rest done.
    const lastFrame = text.slice(text.lastIndexOf('\u001b[4A')).split('\n').slice(0, 4).map((line) => line.replace(/\u001b\[\d*[A-Z]/g, ''));
    expect(lastFrame).toEqual([
      'network:demo_default  done (0.3s)',
      'service api           failed: port is already allocated (0.3s)',
      'service db            done (0.5s)',
      'service web           skipped: dependency [1] failed (0.0s)',
    ]);
  });
});
