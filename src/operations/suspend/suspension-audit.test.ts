import { describe, expect, it } from 'vitest';
import { suspensionAuditEntry } from './suspension-audit.js';

const base = { project: 'shop', by: 'ops@host', reason: 'maintenance', since: '2026-12-01T10:00:00.000Z', until: '2026-12-01T11:00:00.000Z' };

describe('suspensionAuditEntry', () => {
  it.each([
    ['suspend', null, 'project:shop'],
    ['suspend', 'db', 'service:db'],
    ['resume', null, 'project:shop'],
    ['resume', 'db', 'service:db'],
  ] as const)('a %s of %s must be audited on %s by that actor, with the cause given', (action, service, resource) => {
    const entry = suspensionAuditEntry(action, { ...base, service }, 'why');
    expect(entry).toMatchObject({ actor: action, action, project: 'shop', service, resource, cause: 'why', result: 'succeeded' });
  });
});
