import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createGitMetrics } from '../../../src/git/git-metrics.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { createScheduleMetrics } from '../../../src/controller/schedules/schedule-metrics.js';
import { dashboardExpressions, exposedMetricNames, metricNamesInExpression, ruleExpressions } from '../../support/metric-names.js';

// The shipped alert rules, checked by Debian's promtool (scripts/install-promtool.sh installs it): the
// file must load, and every alert must fire (and only then) on the synthetic series of its unit test.
// The names they and the dashboard use are checked against a live controller in
// test/engine/controller-monitoring.test.ts (and the git ones, served only with --git, in
// test/engine/git-delivery.test.ts); here against the registry the controller builds, with git delivery's
// metrics registered on it as `run --git` does.

const PROMETHEUS = fileURLToPath(new URL('../../../deploy/prometheus/', import.meta.url));
const DASHBOARD = fileURLToPath(new URL('../../../deploy/grafana/composelet-dashboard.json', import.meta.url));
const run = promisify(execFile);
// promtool takes about a second of CPU; on a loaded machine (shared cores) much longer in wall time.
const PROMTOOL_TIMEOUT_MS = 30_000;

describe('deploy/prometheus/composelet.rules.yml', () => {
  it('promtool check rules must accept it', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', 'composelet.rules.yml'], { cwd: PROMETHEUS });
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  }, PROMTOOL_TIMEOUT_MS);

  it('every alert must pass its promtool unit test on synthetic series', async () => {
    const result = await run('promtool', ['test', 'rules', 'composelet.rules.test.yml'], { cwd: PROMETHEUS }).catch((error: { stdout: string; stderr: string }) => error);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
  }, PROMTOOL_TIMEOUT_MS);

  it('every alert must have a unit test', () => {
    const alerts = [...readFileSync(`${PROMETHEUS}/composelet.rules.yml`, 'utf8').matchAll(/- alert: (\S+)/g)].map((match) => match[1]);
    const tested = new Set([...readFileSync(`${PROMETHEUS}/composelet.rules.test.yml`, 'utf8').matchAll(/alertname: (\S+)/g)].map((match) => match[1]));
    expect(alerts.filter((alert) => !tested.has(alert))).toEqual([]);
  });
});

describe('the dashboard and the rules against the controller registry', () => {
  it('every composelet metric must be on the dashboard, and every name they use must be registered', async () => {
    const metrics = createMetrics();
    createGitMetrics(metrics.registry);
    createScheduleMetrics(metrics.registry);
    const served = exposedMetricNames(await metrics.registry.metrics());
    const dashboardNames = new Set(dashboardExpressions(readFileSync(DASHBOARD, 'utf8')).flatMap(metricNamesInExpression));
    const ruleNames = ruleExpressions(readFileSync(`${PROMETHEUS}/composelet.rules.yml`, 'utf8')).flatMap(metricNamesInExpression);
    expect([...dashboardNames, ...ruleNames].filter((name) => !served.has(name))).toEqual([]);
    const onDashboard = (name: string) => dashboardNames.has(name) || ['_bucket', '_sum', '_count'].some((suffix) => dashboardNames.has(name + suffix));
    expect([...served.keys()].filter((name) => name.startsWith('composelet_') && !/_(bucket|sum|count)$/.test(name) && !onDashboard(name))).toEqual([]);
  });
});
