// What the controller tells people about, outside metrics. A condition (crash loop, backup failing,
// backup missed, drift) is reported with `active` each time the controller looks: the notifier sends on
// a change and says "resolved" when it ends. A one-off (an unhealthy container restarted) has no end.
//
// Extension point: a new source adds its variant here, a line in describeEvent, and calls `notify` where it
// decides it; nothing else changes. Git delivery's quarantine (git-delivery.ts) and a rolled-back rollout
// (controller/rollouts) are one-offs; a rollback's reason is the redacted evidence.

export type ControllerEvent =
  | { kind: 'crash-loop'; project: string; service: string; active: boolean }
  | { kind: 'unhealthy-restart'; project: string; service: string; container: string }
  | { kind: 'backup-failed'; project: string; backup: string; active: boolean }
  | { kind: 'backup-missed'; project: string; backup: string; active: boolean; scheduledAt: string }
  | { kind: 'drift'; project: string; active: boolean; services: number }
  /** `run --git`: a commit rejected (invalid, blocked by policy, failed rollout); `inForce` is what stays. */
  | { kind: 'commit-quarantined'; commit: string; reason: string; inForce: string | null; projects: string[] }
  | { kind: 'rollout-rolled-back'; project: string; service: string; result: 'rolled-back' | 'rollback-failed'; reason: string };

export type Severity = 'critical' | 'warning' | 'info';

export interface EventDescription {
  /** Same key, same condition: what deduplication and "resolved" pair on. */
  key: string;
  /** null for a one-off. */
  active: boolean | null;
  severity: Severity;
  title: string;
  /** Extra fields for the receiver (redacted before sending). */
  fields: Record<string, string>;
}

export function describeEvent(event: ControllerEvent): EventDescription {
  switch (event.kind) {
    case 'crash-loop':
      return { key: `crash-loop/${event.project}/${event.service}`, active: event.active, severity: 'critical', title: `${event.project}/${event.service} is crash looping`, fields: { project: event.project, service: event.service } };
    case 'unhealthy-restart':
      return { key: `unhealthy-restart/${event.project}/${event.service}`, active: null, severity: 'warning', title: `${event.project}/${event.service} was restarted: its healthcheck kept failing`, fields: { project: event.project, service: event.service, container: event.container } };
    case 'backup-failed':
      return { key: `backup-failed/${event.project}/${event.backup}`, active: event.active, severity: 'critical', title: `backup ${event.backup} of ${event.project} failed`, fields: { project: event.project, backup: event.backup } };
    case 'backup-missed':
      return { key: `backup-missed/${event.project}/${event.backup}`, active: event.active, severity: 'warning', title: `backup ${event.backup} of ${event.project} missed its scheduled run`, fields: { project: event.project, backup: event.backup, scheduledAt: event.scheduledAt } };
    case 'rollout-rolled-back':
      return {
        key: `rollout-rolled-back/${event.project}/${event.service}`,
        active: null,
        severity: event.result === 'rollback-failed' ? 'critical' : 'warning',
        title: event.result === 'rollback-failed' ? `the rollout of ${event.project}/${event.service} failed, and so did its rollback` : `the rollout of ${event.project}/${event.service} was rolled back`,
        fields: { project: event.project, service: event.service, reason: event.reason },
      };
    case 'drift':
      return { key: `drift/${event.project}`, active: event.active, severity: 'warning', title: `${event.services} service(s) of ${event.project} differ from the manifest`, fields: { project: event.project, services: String(event.services) } };
    case 'commit-quarantined':
      return {
        key: `commit-quarantined/${event.commit}`,
        active: null,
        severity: 'warning',
        title: `commit ${event.commit.slice(0, 7)} rejected: ${event.reason}${event.inForce ? `; ${event.inForce.slice(0, 7)} stays in force` : ''}`,
        fields: { commit: event.commit, reason: event.reason, inForce: event.inForce ?? 'none', ...(event.projects.length > 0 ? { projects: event.projects.join(', ') } : {}) },
      };
  }
}
