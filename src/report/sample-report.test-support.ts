import type { AuditEntry } from '../audit/audit-entry.js';
import { summarizeActivity } from './audit-events.js';
import type { DailyReport } from './model.js';

// A small daily report of one project, for the schema and rendering tests.

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** An audit line of the sample project at `seconds` after T0, with `rest` over a restart of shop's api. */
export function sampleAuditEntry(fields: Partial<AuditEntry> & { seconds?: number } = {}): AuditEntry {
  const { seconds = 0, ...rest } = fields;
  return {
    time: at(seconds),
    actor: 'controller',
    user: 'ops@host',
    project: 'shop',
    service: 'api',
    action: 'start-container',
    resource: 'container:shop-api-1',
    cause: 'exited (137)',
    specHashBefore: null,
    specHashAfter: null,
    result: 'succeeded',
    error: null,
    manifestCommit: null,
    durationMs: 300,
    ...rest,
  };
}

const entry = sampleAuditEntry();

export function sampleReport(): DailyReport {
  return {
    schemaVersion: '1',
    generatedAt: at(86_400),
    host: 'host',
    period: { since: at(0), until: at(86_400) },
    manifest: { path: '/srv/manifests', git: null },
    composelet: { version: '0.0.0' },
    services: [{ project: 'shop', service: 'api', status: 'in-sync', state: 'running', health: 'healthy', heals: 3, restarts: 1, crashLoops: 1, downMs: 900, downNow: false }],
    backups: [{ project: 'shop', definition: 'db-dump', service: 'db', made: 1, verified: 1, failed: 0, missed: 0, sizeBytes: 2048, lastError: null }],
    drift: { projects: 1, projectsDrifted: 0, services: 1, byStatus: { 'in-sync': 1 } as never, changes: 0, byCategory: {} as never },
    projects: [{ project: 'shop', driftStatus: 'in-sync', changes: 0, policy: [], suspensions: [{ service: 'db', by: 'ops@host', until: null, reason: 'maintenance', message: 'suspended by ops@host until resumed: maintenance' }] }],
    activity: summarizeActivity([entry]),
    suspensionEvents: [],
    commits: [],
    rollbacks: [],
    audit: { path: '/var/log/audit.log', found: true, skippedLines: 0 },
  };
}
