import { buildAuditEntry, type AuditEntry } from '../../audit/audit-entry.js';
import type { Suspension } from './suspension.js';

// The audit line of a suspend or a resume: one per suspension, project-wide (`project:NAME`) or per service.

export function suspensionAuditEntry(action: 'suspend' | 'resume', suspension: Suspension, cause: string): AuditEntry {
  return buildAuditEntry({
    actor: action,
    project: suspension.project,
    service: suspension.service,
    action,
    resource: suspension.service === null ? `project:${suspension.project}` : `service:${suspension.service}`,
    cause,
    specHashBefore: null,
    specHashAfter: null,
    result: 'succeeded',
    error: null,
    manifestCommit: null,
    durationMs: 0,
  });
}
