import { describe, expect, it } from 'vitest';
import { dashboardExpressions, exposedMetricNames, metricNamesInExpression, ruleExpressions } from '../../support/metric-names.js';

describe('metric names in the shipped monitoring', () => {
  it.each([
    ['composelet_service_crash_looping == 1', ['composelet_service_crash_looping']],
    ['sum by (project) (increase(composelet_reconcile_errors_total{project=~"composelet_x"}[5m]))', ['composelet_reconcile_errors_total']],
    ['time() - composelet_a > on (instance) (time() - process_start_time_seconds)', ['composelet_a', 'process_start_time_seconds']],
    ['histogram_quantile(0.5, sum by (le) (rate(composelet_d_bucket[$__rate_interval])))', ['composelet_d_bucket']],
    ['up == 0', []],
  ])('%s must read %j', (expression, names) => {
    expect(metricNamesInExpression(expression)).toEqual(names);
  });

  it('rules and dashboards must yield their expressions', () => {
    expect(ruleExpressions('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: composelet_x > 0\n')).toEqual(['composelet_x > 0']);
    const dashboard = { panels: [{ type: 'row' }, { targets: [{ expr: 'composelet_y' }] }], templating: { list: [{ query: 'label_values(composelet_z, project)' }, { query: 'prometheus' }] } };
    expect(dashboardExpressions(JSON.stringify(dashboard))).toEqual(['composelet_y', 'label_values(composelet_z, project)']);
  });

  it('TYPE lines must give every exposed name, a histogram with its series suffixes', () => {
    const text = '# HELP composelet_r Reconciles.\n# TYPE composelet_r_total counter\n# TYPE composelet_d histogram\ncomposelet_d_bucket{le="1"} 0\n';
    expect([...exposedMetricNames(text).keys()].sort()).toEqual(['composelet_d', 'composelet_d_bucket', 'composelet_d_count', 'composelet_d_sum', 'composelet_r_total']);
  });
});
