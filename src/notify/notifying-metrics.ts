import type { ControllerMetrics } from '../observability/metrics.js';
import type { ControllerEvent } from './events.js';

// The conditions people are told about are the ones the controller already reports as metrics: crash
// loops, drift, failed backups, backups past their time. This wraps the metrics so that every report of
// one also goes to `notify` (the notifier dedupes and sends on changes); the metrics are unchanged.
// One-offs that are not metrics (an unhealthy restart) are passed to `notify` where they happen.

/** A scheduled run more than this late, and not run, is missed (as the ComposeletBackupMissed alert). */
export const BACKUP_MISSED_AFTER_SECONDS = 1800;

export function withNotifications(metrics: ControllerMetrics, notify: (event: ControllerEvent) => void, options: { now?: () => number } = {}): ControllerMetrics {
  const now = options.now ?? Date.now;
  return {
    ...metrics,
    setServiceCrashLooping(project, service, crashLooping) {
      metrics.setServiceCrashLooping(project, service, crashLooping);
      notify({ kind: 'crash-loop', project, service, active: crashLooping });
    },
    setDrift(project, drift) {
      metrics.setDrift(project, drift);
      const services = Object.entries(drift.byStatus)
        .filter(([status]) => status !== 'in-sync' && status !== 'not-adopted')
        .reduce((total, [, count]) => total + count, 0);
      notify({ kind: 'drift', project, active: services > 0, services });
    },
    recordBackup(project, backup, run) {
      metrics.recordBackup(project, backup, run);
      notify({ kind: 'backup-failed', project, backup, active: !run.ok });
    },
    setBackupNextRun(project, backup, epochSeconds) {
      metrics.setBackupNextRun(project, backup, epochSeconds);
      const missed = epochSeconds > 0 && now() / 1000 - epochSeconds > BACKUP_MISSED_AFTER_SECONDS;
      notify({ kind: 'backup-missed', project, backup, active: missed, scheduledAt: new Date(epochSeconds * 1000).toISOString() });
    },
  };
}
