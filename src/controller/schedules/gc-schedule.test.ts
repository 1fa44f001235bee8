import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../test/support/fake-engine.js';
import { eventually } from '../../../test/support/eventually.js';
import type { AuditEntry } from '../../audit/audit-entry.js';
import { writeSuspensions } from '../../operations/suspend/suspension-store.js';
import { createRedactor } from '../../redaction/redact.js';
import { projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import { createGcScheduler } from './gc-schedule.js';
import { createScheduleMetrics } from './schedule-metrics.js';

// The controller's gc schedule, every second against a fake engine: it runs gc --yes for the project on
// its schedule, audited and counted; a suspended project is not touched; removing the schedule stops it.

const project = (schedule: string | null) =>
  projectFromYaml(`name: shop\n${schedule ? `x-composelet:\n  gc: { schedule: "${schedule}" }\n` : ''}services:\n  api:\n    image: shop-api:3\n`);

let stop = () => {};
afterEach(() => stop());

function setUp(options: { schedule: string | null; suspended?: boolean }) {
  const engine = new FakeEngine();
  engine.images.set('sha256:old', { Id: 'sha256:old', RepoTags: ['shop-api:1'], Labels: { 'io.composelet.build-hash': 'h' } });
  const stateDir = mkdtempSync(join(tmpdir(), 'composelet-gc-schedule-'));
  const audit: AuditEntry[] = [];
  const registry = new Registry();
  let projects = [project(options.schedule)];
  const scheduler = createGcScheduler({
    engine,
    logger: pino({ level: 'silent' }),
    metrics: createScheduleMetrics(registry),
    redactor: createRedactor(),
    stateDir,
    desiredProjects: () => projects,
    audit: async (entries) => void audit.push(...entries),
    writable: () => true,
  });
  stop = () => scheduler.stop();
  scheduler.sync();
  return { engine, stateDir, audit, registry, scheduler, setProjects: (next: typeof projects) => (projects = next) };
}

describe('scheduled gc', () => {
  it('must remove the unused build on its schedule, audited and counted', async () => {
    const { engine, audit, registry, scheduler } = setUp({ schedule: '* * * * * *' });
    await eventually(() => expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['removeImage sha256:old']), { timeoutMs: 5_000, message: 'gc ran' });
    await eventually(() => expect(scheduler.status()[0]?.lastRun).toMatchObject({ result: 'succeeded', removed: 1 }), { timeoutMs: 5_000, message: 'status' });
    expect(audit[0]).toMatchObject({ actor: 'controller', project: 'shop', action: 'remove-image', result: 'succeeded' });
    expect(audit[0]?.cause).toMatch(/^scheduled gc \(\* \* \* \* \* \*\): built by composelet/);
    const text = await registry.metrics();
    expect(text).toMatch(/composelet_gc_runs_total\{project="shop",result="succeeded"\} [1-9]/);
    expect(text).toContain('composelet_gc_removed_total{project="shop",kind="image"} 1');
  });

  it('must not touch a suspended project: the run is skipped, audited as such', async () => {
    const engine = new FakeEngine();
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-gc-schedule-'));
    await writeSuspensions(stateDir, 'shop', [{ project: 'shop', service: null, by: 'ops@host', reason: 'incident 42', since: new Date().toISOString(), until: null }]);
    const audit: AuditEntry[] = [];
    const scheduler = createGcScheduler({
      engine,
      logger: pino({ level: 'silent' }),
      metrics: createScheduleMetrics(new Registry()),
      redactor: createRedactor(),
      stateDir,
      desiredProjects: () => [project('* * * * * *')],
      audit: async (entries) => void audit.push(...entries),
      writable: () => true,
    });
    stop = () => scheduler.stop();
    scheduler.sync();
    await eventually(() => expect(audit[0]).toMatchObject({ action: 'gc', result: 'skipped', cause: 'scheduled gc (* * * * * *): suspended by ops@host until resumed: incident 42' }), {
      timeoutMs: 5_000,
      message: 'skipped run audited',
    });
    expect(engine.describeCalls()).toEqual([]);
    expect(scheduler.status()[0]?.lastRun?.result).toBe('skipped');
  });

  it('must stop when the schedule is removed from the manifests', () => {
    const { scheduler, setProjects } = setUp({ schedule: '0 3 * * 5' });
    expect(scheduler.status().map((entry) => [entry.project, entry.schedule])).toEqual([['shop', '0 3 * * 5']]);
    setProjects([project(null)]);
    scheduler.sync();
    expect(scheduler.status()).toEqual([]);
  });
});
