import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/eventually.js';
import { createMetrics } from '../observability/metrics.js';
import { createRedactor } from '../redaction/redact.js';
import type { PlannedProject } from '../reconciler/converge.js';
import { createAuditGate } from './audit-gate.js';

// The controller's audit gate: closed (read-only) while the log cannot be written, open again by itself.

function planned(workingDir: string): PlannedProject {
  return {
    project: { name: 'demo', workingDir },
    observed: { containers: [] },
    plan: { projectName: 'demo', problems: [], operations: [{ id: 1, kind: 'start-container', resourceId: 'container:demo-api-1', service: 'api', cause: 'exited', dependsOn: [] }] },
  } as unknown as PlannedProject;
}

describe('audit gate', () => {
  it('must refuse plans while the log cannot be written, report why, and open by itself once it can', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-gate-'));
    const blocker = join(directory, 'state');
    writeFileSync(blocker, 'a file where the log directory should be');
    const path = join(blocker, 'audit.log');
    const metrics = createMetrics({ defaultMetrics: false });
    let recovered = 0;
    const gate = createAuditGate({ path, logger: pino({ level: 'silent' }), metrics, redactor: createRedactor(), probeIntervalMs: 10, onRecovered: () => (recovered += 1) });

    expect(await gate.beforeExecuting(planned(directory))).toBe(false);
    expect(gate.writable()).toBe(false);
    expect(gate.status()).toMatchObject({ path, writable: false, error: expect.stringMatching(new RegExp(`^audit log ${path} cannot be written: `)) });
    expect(await metrics.registry.getSingleMetricAsString('composelet_audit_log_writable')).toMatch(/ 0$/m);

    rmSync(blocker);
    await eventually(() => expect(recovered).toBe(1), { timeoutMs: 5_000 });
    expect(gate.status()).toEqual({ path, writable: true, error: null, since: null });
    expect(await metrics.registry.getSingleMetricAsString('composelet_audit_log_writable')).toMatch(/ 1$/m);
    expect(await gate.beforeExecuting(planned(directory))).toBe(true);
    await gate.close();
    expect(JSON.parse(readFileSync(path, 'utf8').trim())).toMatchObject({ action: 'intent', actor: 'controller', result: 'intended' });
    rmSync(directory, { recursive: true });
  });

  it('must stay open, writing nothing, without a log path', async () => {
    const gate = createAuditGate({ path: null, logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }), redactor: createRedactor(), onRecovered: () => undefined });
    expect(await gate.beforeExecuting(planned(tmpdir()))).toBe(true);
    expect(gate.status()).toEqual({ path: null, writable: true, error: null, since: null });
    await gate.close();
  });
});
