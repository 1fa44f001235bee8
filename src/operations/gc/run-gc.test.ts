import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../test/support/fake-engine.js';
import type { AuditEntry } from '../../audit/audit-entry.js';
import { projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import { writeSuspensions } from '../suspend/suspension-store.js';
import { executeGc, gatherGc } from './run-gc.js';

// One gc run against a fake engine that records every call: the build cache is pruned through the engine
// API down to x-composelet's size, every step is audited, and a suspended project is not touched.

const PROJECT = projectFromYaml(`
name: shop
x-composelet:
  gc: { schedule: "0 3 * * 5", build_cache: { keep: 2GB } }
services:
  api:
    image: shop-api:3
`);

function engineWithAnOldBuild(): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set('sha256:old', { Id: 'sha256:old', RepoTags: ['shop-api:1'], Labels: { 'io.composelet.build-hash': 'h' } });
  return engine;
}

describe('a gc run', () => {
  it('must remove the unused build and prune the build cache down to x-composelet.gc.build_cache.keep, auditing each', async () => {
    const engine = engineWithAnOldBuild();
    const audit: AuditEntry[] = [];
    const gathered = await gatherGc(engine, { projects: [PROJECT], stateDir: mkdtempSync(join(tmpdir(), 'composelet-gc-run-')), volumesToo: false });
    const steps = await executeGc(engine, gathered, { actor: 'controller', trigger: 'scheduled gc (0 3 * * 5)', audit: async (entries) => void audit.push(...entries) });

    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['removeImage sha256:old', 'pruneBuildCache']);
    expect(engine.argsOf('pruneBuildCache')).toEqual([[{ keepStorageBytes: 2 * 1024 ** 3 }]]);
    expect(steps.map((step) => [step.what, step.error])).toEqual([
      ['image shop-api:1', null],
      ['build cache', null],
    ]);
    expect(audit.map((entry) => [entry.actor, entry.project, entry.action, entry.resource, entry.result])).toEqual([
      ['controller', 'shop', 'remove-image', 'image:shop-api:1', 'succeeded'],
      ['controller', 'shop', 'prune-build-cache', 'build-cache', 'succeeded'],
    ]);
    expect(audit[1]?.cause).toMatch(/^scheduled gc \(0 3 \* \* 5\): down to 2147483648 bytes/);
  });

  it('must not touch a suspended project, nor even list its objects', async () => {
    const engine = engineWithAnOldBuild();
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-gc-run-'));
    await writeSuspensions(stateDir, 'shop', [{ project: 'shop', service: null, by: 'ops@host', reason: 'incident 42', since: new Date().toISOString(), until: null }]);
    const gathered = await gatherGc(engine, { projects: [PROJECT], stateDir, volumesToo: false });
    const steps = await executeGc(engine, gathered, { actor: 'controller', trigger: 'scheduled gc', audit: async () => undefined });

    expect(gathered.skipped).toEqual([{ project: 'shop', reason: 'suspended by ops@host until resumed: incident 42' }]);
    expect(steps).toEqual([]);
    expect(engine.describeCalls()).toEqual([]);
  });
});
