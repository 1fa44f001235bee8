import { register as globalRegistry, type Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';
import { ACTION_KINDS, ACTION_RESULTS } from './metric-label-values.js';

async function valueOf(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  const found = values.find((sample) => {
    const sampleLabels: Record<string, unknown> = sample.labels;
    return Object.keys(sampleLabels).length === wanted.length && wanted.every(([key, value]) => sampleLabels[key] === value);
  });
  return found?.value;
}

async function histogramCount(registry: Registry, name: string, project: string): Promise<number | undefined> {
  const text = await registry.getSingleMetricAsString(name);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}_count{project="${project}"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('controller metrics', () => {
  it('a seen project must have every per-project series at zero before its first reconcile', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.projectSeen('demo');
    const { registry } = metrics;
    for (const result of ['success', 'error', 'requeue', 'invalid_manifest', 'not_adopted']) {
      expect(await valueOf(registry, 'composelet_reconcile_total', { project: 'demo', result })).toBe(0);
    }
    expect(await valueOf(registry, 'composelet_reconcile_errors_total', { project: 'demo' })).toBe(0);
    expect(await histogramCount(registry, 'composelet_reconcile_duration_seconds', 'demo')).toBe(0);
    expect(await valueOf(registry, 'composelet_drifted_services', { project: 'demo' })).toBe(0);
    expect(await valueOf(registry, 'composelet_project_not_adopted', { project: 'demo' })).toBe(0);
    expect(await valueOf(registry, 'composelet_last_successful_reconcile_timestamp_seconds', { project: 'demo' })).toBe(0);
  });

  it('a project must not claim an invalid manifest before the manifest was loaded', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.projectSeen('demo');
    expect(await valueOf(metrics.registry, 'composelet_manifest_valid', { project: 'demo' })).toBeUndefined();
    metrics.setManifestValid('demo', false);
    expect(await valueOf(metrics.registry, 'composelet_manifest_valid', { project: 'demo' })).toBe(0);
    metrics.setManifestValid('demo', true);
    expect(await valueOf(metrics.registry, 'composelet_manifest_valid', { project: 'demo' })).toBe(1);
  });

  it('every action kind and result must exist at zero from the start', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (const kind of ACTION_KINDS) {
      for (const result of ACTION_RESULTS) expect(await valueOf(metrics.registry, 'composelet_actions_total', { kind, result })).toBe(0);
    }
    metrics.recordAction('create-container', 'succeeded');
    metrics.recordAction('create-container', 'succeeded');
    metrics.recordAction('start-container', 'failed');
    expect(await valueOf(metrics.registry, 'composelet_actions_total', { kind: 'create-container', result: 'succeeded' })).toBe(2);
    expect(await valueOf(metrics.registry, 'composelet_actions_total', { kind: 'start-container', result: 'failed' })).toBe(1);
  });

  it.each([
    ['success', 0],
    ['requeue', 0],
    ['error', 1],
    ['invalid_manifest', 1],
    // docker compose runs it and nothing was changed: reported by its own gauge, not an error
    ['not_adopted', 0],
  ] as const)('a %s reconcile must add %i to reconcile_errors_total', async (result, errors) => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordReconcile('demo', result, 0.2);
    expect(await valueOf(metrics.registry, 'composelet_reconcile_total', { project: 'demo', result })).toBe(1);
    expect(await valueOf(metrics.registry, 'composelet_reconcile_errors_total', { project: 'demo' })).toBe(errors);
    expect(await histogramCount(metrics.registry, 'composelet_reconcile_duration_seconds', 'demo')).toBe(1);
  });

  it('project_not_adopted must follow what the reconciler reports', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.setProjectNotAdopted('demo', true);
    expect(await valueOf(metrics.registry, 'composelet_project_not_adopted', { project: 'demo' })).toBe(1);
    metrics.setProjectNotAdopted('demo', false);
    expect(await valueOf(metrics.registry, 'composelet_project_not_adopted', { project: 'demo' })).toBe(0);
  });

  it('a successful reconcile must stamp the last-success time and a failed one must leave it', async () => {
    let nowMs = 1_700_000_000_000;
    const metrics = createMetrics({ defaultMetrics: false, now: () => nowMs });
    metrics.recordReconcile('demo', 'success', 0.01);
    nowMs += 5_000;
    metrics.recordReconcile('demo', 'error', 0.01);
    expect(await valueOf(metrics.registry, 'composelet_last_successful_reconcile_timestamp_seconds', { project: 'demo' })).toBe(1_700_000_000);
  });

  it('engine calls must be counted per method with the error series starting at zero', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordEngineCall({ method: 'listContainers' });
    metrics.recordEngineCall({ method: 'listContainers' });
    metrics.recordEngineCall({ method: 'startContainer', error: new Error('conflict') });
    const { registry } = metrics;
    expect(await valueOf(registry, 'composelet_engine_api_calls_total', { method: 'listContainers' })).toBe(2);
    expect(await valueOf(registry, 'composelet_engine_api_errors_total', { method: 'listContainers' })).toBe(0);
    expect(await valueOf(registry, 'composelet_engine_api_calls_total', { method: 'startContainer' })).toBe(1);
    expect(await valueOf(registry, 'composelet_engine_api_errors_total', { method: 'startContainer' })).toBe(1);
  });

  it('unlabeled gauges must start at zero and follow what they are set to', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const { registry } = metrics;
    for (const name of ['composelet_queue_depth', 'composelet_reconciles_in_flight', 'composelet_engine_connected']) {
      expect(await valueOf(registry, name)).toBe(0);
    }
    metrics.setQueueDepth(3);
    metrics.setReconcilesInFlight(2);
    metrics.setEngineConnected(true);
    expect(await valueOf(registry, 'composelet_queue_depth')).toBe(3);
    expect(await valueOf(registry, 'composelet_reconciles_in_flight')).toBe(2);
    expect(await valueOf(registry, 'composelet_engine_connected')).toBe(1);
  });

  it('a seen service must have its restart, crash-loop and backoff series at zero, then follow updates', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const labels = { project: 'demo', service: 'api' };
    metrics.serviceSeen('demo', 'api');
    const { registry } = metrics;
    expect(await valueOf(registry, 'composelet_service_restarts_total', labels)).toBe(0);
    expect(await valueOf(registry, 'composelet_service_crash_looping', labels)).toBe(0);
    expect(await valueOf(registry, 'composelet_service_backoff_seconds', labels)).toBe(0);
    metrics.recordServiceRestart('demo', 'api');
    metrics.setServiceCrashLooping('demo', 'api', true);
    metrics.setServiceBackoff('demo', 'api', 40);
    metrics.setDriftedServices('demo', 2);
    expect(await valueOf(registry, 'composelet_service_restarts_total', labels)).toBe(1);
    expect(await valueOf(registry, 'composelet_service_crash_looping', labels)).toBe(1);
    expect(await valueOf(registry, 'composelet_service_backoff_seconds', labels)).toBe(40);
    expect(await valueOf(registry, 'composelet_drifted_services', { project: 'demo' })).toBe(2);
  });

  it('a seen service must have its rollout series at zero for every result, then count each rollout', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.serviceSeen('demo', 'api');
    for (const result of ['succeeded', 'rolled_back', 'rollback_failed', 'not_started']) {
      expect(await valueOf(metrics.registry, 'composelet_rollouts_total', { project: 'demo', service: 'api', result })).toBe(0);
    }
    metrics.recordRollout('demo', 'api', 'rolled_back');
    expect(await valueOf(metrics.registry, 'composelet_rollouts_total', { project: 'demo', service: 'api', result: 'rolled_back' })).toBe(1);
    metrics.forgetProject('demo');
    expect(await metrics.registry.getSingleMetricAsString('composelet_rollouts_total')).not.toContain('project="demo"');
  });

  it('a forgotten project must leave no series behind, its services included', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordReconcile('demo', 'success', 0.1);
    metrics.setManifestValid('demo', true);
    metrics.setProjectNotAdopted('demo', true);
    metrics.recordServiceRestart('demo', 'api');
    metrics.projectSeen('other');
    metrics.forgetProject('demo');
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('project="demo"');
    expect(text).toContain('project="other"');
  });

  it('the prefix option must rename every composelet metric', async () => {
    const metrics = createMetrics({ prefix: 'test_', defaultMetrics: false });
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names).toContain('test_reconcile_total');
    expect(names.every((name) => name.startsWith('test_'))).toBe(true);
  });

  it('metrics must live on their own registry, not on the global one', async () => {
    const first = createMetrics({ defaultMetrics: false });
    const second = createMetrics({ defaultMetrics: false });
    first.recordAction('wait', 'succeeded');
    expect(await valueOf(second.registry, 'composelet_actions_total', { kind: 'wait', result: 'succeeded' })).toBe(0);
    expect(globalRegistry.getSingleMetric('composelet_reconcile_total')).toBeUndefined();
  });

  it('default metrics must report process memory and CPU', async () => {
    const metrics = createMetrics();
    const text = await metrics.registry.metrics();
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
