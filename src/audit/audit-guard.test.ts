import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../reconciler/plan/plan.js';
import { AuditLogUnwritableError, describeWriteFailure, intentEntry, probeAuditLog } from './audit-guard.js';

describe('describeWriteFailure', () => {
  it.each([
    [Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'ENOSPC', 'no space left on device (ENOSPC)'],
    [Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES' }), 'EACCES', 'permission denied (EACCES)'],
    [Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }), 'EROFS', 'read-only file system (EROFS)'],
    [Object.assign(new Error('something odd'), { code: 'EWEIRD' }), 'EWEIRD', 'something odd (EWEIRD)'],
    [new Error('short write (3 of 10 bytes)'), null, 'short write (3 of 10 bytes)'],
  ])('%s must read as its cause with its code', (error, code, reason) => {
    expect(describeWriteFailure(error)).toEqual({ code, reason });
  });
});

describe('intentEntry', () => {
  it('must name every mutating operation by kind and resource, not the waits', () => {
    const plan = {
      projectName: 'demo',
      operations: [
        { id: 1, kind: 'create-network', resourceId: 'network:demo_default', service: null, cause: 'not found', dependsOn: [] },
        { id: 2, kind: 'wait', resourceId: 'container:demo-db-1', service: 'db', cause: 'healthy', dependsOn: [] },
        { id: 3, kind: 'start-container', resourceId: 'container:demo-api-1', service: 'api', cause: 'exited', dependsOn: [] },
      ],
      problems: [],
    } as unknown as Plan;
    const entry = intentEntry(plan, { actor: 'apply', manifestCommit: 'abc', now: () => new Date('2025-03-01T10:00:00Z') });
    expect(entry).toMatchObject({
      time: '2025-03-01T10:00:00.000Z',
      actor: 'apply',
      project: 'demo',
      service: null,
      action: 'intent',
      resource: 'project:demo',
      cause: 'about to run 2 operation(s): create-network network:demo_default; start-container container:demo-api-1',
      result: 'intended',
      manifestCommit: 'abc',
    });
  });
});

describe('probeAuditLog', () => {
  it('must pass for a writable directory, leaving nothing behind (not even an empty log)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-probe-'));
    await probeAuditLog(join(directory, 'state', 'audit.log'));
    expect(readdirSync(join(directory, 'state'))).toEqual([]);
    rmSync(directory, { recursive: true });
  });

  it('must throw AuditLogUnwritableError naming the log and the cause when it cannot be written', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-probe-'));
    writeFileSync(join(directory, 'blocker'), 'a file where the log directory should be');
    const path = join(directory, 'blocker', 'audit.log');
    const failure = await probeAuditLog(path).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditLogUnwritableError);
    expect((failure as Error).message).toMatch(new RegExp(`^audit log ${path} cannot be written: .*\\((ENOTDIR|EEXIST)\\)$`));
    rmSync(directory, { recursive: true });
  });
});
