import { describe, expect, it } from 'vitest';
import { createMetrics } from '../observability/metrics.js';
import type { ControllerEvent } from './events.js';
import { withNotifications } from './notifying-metrics.js';

describe('withNotifications', () => {
  const setUp = () => {
    const events: ControllerEvent[] = [];
    const metrics = withNotifications(createMetrics({ defaultMetrics: false }), (event) => events.push(event), { now: () => 10_000_000 });
    return { events, metrics };
  };

  it('crash-loop, drift and backup reports must reach notify and still the metrics', async () => {
    const { events, metrics } = setUp();
    metrics.setServiceCrashLooping('shop', 'api', true);
    metrics.setDrift('shop', { byStatus: { 'in-sync': 3, drifted: 1, missing: 1, 'not-adopted': 2 }, byCategory: {} });
    metrics.recordBackup('shop', 'db', { ok: false, durationSeconds: 1, sizeBytes: null, finishedAtSeconds: 1 });
    expect(events).toEqual([
      { kind: 'crash-loop', project: 'shop', service: 'api', active: true },
      { kind: 'drift', project: 'shop', active: true, services: 2 },
      { kind: 'backup-failed', project: 'shop', backup: 'db', active: true },
    ]);
    expect(await metrics.registry.getSingleMetricAsString('composelet_service_crash_looping')).toContain('composelet_service_crash_looping{project="shop",service="api"} 1');
  });

  it.each([
    ['due in the future', 10_100, false],
    ['due 10 minutes ago', 10_000 - 600, false],
    ['due 31 minutes ago', 10_000 - 1_860, true],
    ['no schedule', 0, false],
  ])('a backup %s must be reported missed: %s', (_name, nextRunSeconds, missed) => {
    const { events, metrics } = setUp();
    metrics.setBackupNextRun('shop', 'db', nextRunSeconds);
    expect(events).toMatchObject([{ kind: 'backup-missed', active: missed }]);
  });
});
