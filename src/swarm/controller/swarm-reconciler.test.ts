import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFailedRollouts } from '../../state/failed-rollouts.js';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../audit/audit-entry.js';
import { emptyStatus } from '../../controller/project-status.js';
import { loadDesiredState } from '../../desired-state/load.js';
import type { Project } from '../../desired-state/model.js';
import { createMetrics } from '../../observability/metrics.js';
import { createRedactor } from '../../redaction/redact.js';
import type { FailedRollouts } from '../../state/failed-rollouts.js';
import { writeManifestTree } from '../../../test/support/manifest-files.js';
import { fakeSwarm } from './fake-swarm.test-support.js';
import { SwarmReconciler } from './swarm-reconciler.js';

// The Swarm reconcile of `composelet run`, against an in-memory Swarm: what it writes to the cluster, to
// the audit log and to /status, and what it refuses to do.

function project(apiMemory: string | null = '32m'): Project {
  const api = apiMemory === null ? '' : `  api: { image: busybox, command: ["sleep", "1d"], mem_limit: ${apiMemory}, depends_on: [db], deploy: { replicas: 2 } }\n`;
  const directory = writeManifestTree(
    {
      'compose.yaml': `name: shop
x-composelet: { target: swarm }
services:
  db: { image: busybox, command: ["sleep", "1d"] }
${api}`,
    },
    { directoryName: 'shop' },
  );
  const loaded = loadDesiredState(directory, { environment: {}, homeDir: '/home/someone' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.state.projects[0]!;
}

function setup(options: { auditWritable?: boolean; stateDir?: string; prune?: boolean; port?: ReturnType<typeof fakeSwarm> } = {}) {
  const port = options.port ?? fakeSwarm();
  const audit: AuditEntry[] = [];
  const failed: Array<{ projectName: string; failed: FailedRollouts }> = [];
  const metrics = createMetrics();
  const reconciler = new SwarmReconciler({
    port,
    metrics,
    redactor: createRedactor(),
    timeoutMs: 5_000,
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(options.prune ? { prune: true } : {}),
    audit: async (entries) => {
      if (options.auditWritable === false) return false;
      audit.push(...entries);
      return true;
    },
    onFailedRollouts: async (projectName, entries) => {
      failed.push({ projectName, failed: { ...entries } });
    },
  });
  const status = emptyStatus('shop');
  const reconcile = (desired: Project) => reconciler.reconcile(desired, status, { started: Date.now(), logger: pino({ level: 'silent' }) });
  return { port, audit, failed, status, metrics, reconcile, reconciler };
}

describe('SwarmReconciler', () => {
  it('must create the project in dependency order, writing the intent line first and one line per change', async () => {
    const { port, audit, status, reconcile } = setup();
    expect(await reconcile(project())).toEqual({ kind: 'requeue-after', delayMs: 1_000 });
    expect(port.writes).toEqual(['create-network shop_default', 'create-service shop_db', 'create-service shop_api']);
    expect(audit.map((entry) => `${entry.action} ${entry.resource} ${entry.result}`)).toEqual([
      'intent project:shop intended',
      'create-network network:shop_default succeeded',
      'create-service service:shop_api succeeded',
      'create-service service:shop_db succeeded',
    ]);
    expect(status.swarm?.services['api']).toMatchObject({ replicasDesired: 2, replicasRunning: 2, lastOutcome: { result: 'succeeded' } });
    expect(status.lastReconcile).toMatchObject({ result: 'success', operations: 5, failed: 0 });
  });

  it('must change nothing and write no audit line when the cluster is as desired', async () => {
    const { port, audit, status, reconcile } = setup();
    await reconcile(project());
    const [writes, lines] = [port.writes.length, audit.length];
    expect(await reconcile(project())).toEqual({ kind: 'done' });
    expect([port.writes.length, audit.length]).toEqual([writes, lines]);
    expect(status.swarm?.services['api']).toMatchObject({ replicasRunning: 2, tasksPerNode: { node1: 2 } });
  });

  it.each([
    [false, []],
    [true, ['remove-service']],
  ])('a service dropped from the manifests must be removed only with run --prune (prune %s)', async (prune, expected) => {
    const { port, audit, reconcile } = setup({ prune });
    await reconcile(project());
    const before = port.writes.length;
    await reconcile(project(null));
    expect(port.writes.slice(before).map((write) => write.split(' ')[0])).toEqual(expected);
    expect(audit.some((entry) => entry.action === 'remove-service' && entry.result === 'succeeded')).toBe(prune);
  });

  it('removeProject (the directory gone, run --prune) must remove every service and network the project owns, audited, and nothing when the audit log is read-only', async () => {
    const { port, reconcile } = setup();
    await reconcile(project());
    const before = port.writes.length;
    const context = { started: Date.now(), logger: pino({ level: 'silent' }) };
    const refusedStatus = emptyStatus('shop');
    expect(await setup({ port, auditWritable: false }).reconciler.removeProject(project(), refusedStatus, context)).toEqual({ kind: 'done' });
    expect(refusedStatus.lastReconcile?.result).toBe('read_only');
    expect(port.writes.slice(before)).toEqual([]);

    const pruning = setup({ port });
    const outcome = await pruning.reconciler.removeProject(project(), emptyStatus('shop'), context);
    expect(outcome.kind).not.toBe('error');
    // The fake records removals by id: every object it made (one network, two services) and nothing else.
    expect(port.writes.slice(before).sort()).toEqual(['remove-network net1', 'remove-service svc2', 'remove-service svc3']);
    expect((await port.observe('shop')).services).toEqual([]);
    expect(pruning.audit.filter((entry) => entry.action.startsWith('remove-')).map((entry) => `${entry.action} ${entry.resource} ${entry.result}`).sort()).toEqual([
      'remove-network network:shop_default succeeded',
      'remove-service service:shop_api succeeded',
      'remove-service service:shop_db succeeded',
    ]);
  });

  it('must change nothing on the cluster while the audit log cannot be written (read-only)', async () => {
    const { port, status, reconcile } = setup({ auditWritable: false });
    expect(await reconcile(project())).toEqual({ kind: 'done' });
    expect(port.writes).toEqual([]);
    expect(status.lastReconcile?.result).toBe('read_only');
    expect(status.lastPlan?.steps.every((step) => step.result === 'not run')).toBe(true);
  });

  it('must report a rollout Swarm rolled back to git delivery, by the model spec hash, and not retry that spec', async () => {
    const { port, failed, status, reconcile, metrics } = setup();
    await reconcile(project('32m'));
    port.failNextUpdateOf('shop_api');
    const changed = project('48m');
    const outcome = await reconcile(changed);
    expect(outcome.kind).toBe('error');
    expect(failed).toEqual([{ projectName: 'shop', failed: { api: expect.objectContaining({ specHash: changed.services['api']!.specHash, reason: expect.stringContaining('rollback_completed') }) } }]);
    expect(status.swarm?.services['api']?.lastOutcome).toMatchObject({ result: 'rolled-back' });
    const updates = () => port.writes.filter((write) => write.startsWith('update-service')).length;
    expect(updates()).toBe(1);
    expect(await reconcile(changed)).toEqual({ kind: 'done' });
    expect(updates()).toBe(1);
    // A new spec is tried.
    await reconcile(project('64m'));
    expect(updates()).toBe(2);
    expect(await metrics.registry.getSingleMetricAsString('composelet_actions_total')).toContain('kind="update-service",result="succeeded"} 2');
  });

  it('must remember a spec Swarm rolled back across a controller restart (the state directory), and forget it once a new spec succeeds', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'swarm-held-'));
    try {
      const first = setup({ stateDir });
      await first.reconcile(project('32m'));
      first.port.failNextUpdateOf('shop_api');
      const changed = project('48m');
      expect((await first.reconcile(changed)).kind).toBe('error');
      const updates = () => first.port.writes.filter((write) => write.startsWith('update-service')).length;
      expect(updates()).toBe(1);
      // A new reconciler on the same cluster and state directory: what a restarted controller is.
      const restarted = setup({ stateDir, port: first.port });
      expect(await restarted.reconcile(changed)).toEqual({ kind: 'done' });
      expect(updates()).toBe(1);
      expect(Object.keys(await readFailedRollouts(stateDir, 'shop'))).toEqual(['api']);
      await restarted.reconcile(project('64m'));
      expect(updates()).toBe(2);
      expect(await readFailedRollouts(stateDir, 'shop')).toEqual({});
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
