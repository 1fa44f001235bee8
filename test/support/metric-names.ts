import { parse } from 'yaml';

// The metric names the shipped monitoring (deploy/prometheus rules, deploy/grafana dashboard) uses, and
// the ones a live /metrics serves, so a test can hold one against the other.

const PROMQL_KEYWORDS = new Set(['sum', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'rate', 'increase', 'irate', 'time', 'histogram_quantile', 'avg', 'max', 'min', 'count', 'le']);

/** Metric names a PromQL expression reads: identifiers of the composelet_, process_ and nodejs_ families
 * outside label matchers and strings. */
export function metricNamesInExpression(expression: string): string[] {
  const withoutLabels = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\{[^}]*\}/g, '{}').replace(/\[[^\]]*\]/g, '[]');
  const names = [...withoutLabels.matchAll(/\b(composelet_[a-z0-9_]+|process_[a-z0-9_]+|nodejs_[a-z0-9_]+)\b/g)].map((match) => match[1]!);
  return [...new Set(names.filter((name) => !PROMQL_KEYWORDS.has(name)))].sort();
}

/** Every expression of a Prometheus rules file. */
export function ruleExpressions(rulesYaml: string): string[] {
  const document = parse(rulesYaml) as { groups: Array<{ rules: Array<{ expr: string }> }> };
  return document.groups.flatMap((group) => group.rules.map((rule) => String(rule.expr)));
}

/** Every target expression and templating query of a Grafana dashboard. */
export function dashboardExpressions(dashboardJson: string): string[] {
  const dashboard = JSON.parse(dashboardJson) as { panels: Array<{ targets?: Array<{ expr: string }> }>; templating?: { list: Array<{ query?: unknown }> } };
  const targets = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  const queries = (dashboard.templating?.list ?? []).map((variable) => variable.query).filter((query): query is string => typeof query === 'string' && query.includes('('));
  return [...targets, ...queries];
}

/** The names a Prometheus text exposition serves (from its TYPE lines; a histogram's _bucket, _sum and
 * _count, a summary's _sum and _count too), whether or not a series exists yet. */
export function exposedMetricNames(metricsText: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const match of metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    names.set(name, type);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.set(name + suffix, type);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.set(name + suffix, type);
  }
  return names;
}
