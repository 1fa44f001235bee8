import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectProject, stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';

// Before destructive changes: apply backs a service up before recreating it, and does not recreate it
// when that backup fails.

const engine = testEngine();
const stack = stackFixture('apply-backup', uniqueProjectName('prebackup'));
afterAll(() => removeProjectObjects(engine, stack.projectName));

function artifacts(): string[] {
  const directory = join(stack.directory, 'backups', stack.projectName, 'store');
  return existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.gz')).sort() : [];
}

describe('backups before a recreate', () => {
  it('a spec change must take a fresh backup first, then recreate', async () => {
    expect((await stack.run('apply')).code).toBe(0);
    await runDocker(['exec', `${stack.projectName}-store-1`, 'sh', '-c', 'echo 42 > /data/value']);
    const before = await inspectProject(engine, stack.projectName);
    stack.edit((text) => text.replace('GENERATION: "1"', 'GENERATION: "2"'));

    const applied = await stack.run('apply');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('backed up store before its recreate');
    const after = await inspectProject(engine, stack.projectName);
    expect(after.store!.Id).not.toBe(before.store!.Id);
    const [artifact] = artifacts();
    expect(artifact).toBeDefined();
    const content = gunzipSync(readFileSync(join(stack.directory, 'backups', stack.projectName, 'store', artifact!))).toString();
    expect(content).toBe('store-dump-42\n');
  });

  it('a failing backup must prevent the recreate, say why and exit 1', async () => {
    await runDocker(['exec', `${stack.projectName}-store-1`, 'touch', '/data/fail-backups']);
    const before = await inspectProject(engine, stack.projectName);
    const artifactsBefore = artifacts();
    stack.edit((text) => text.replace('GENERATION: "2"', 'GENERATION: "3"'));

    const applied = await stack.run('apply');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/not recreating store: the backup before the recreate failed/);
    expect(applied.stdout).toMatch(/container:.*store-1: not recreated \(spec changed\)/);
    const after = await inspectProject(engine, stack.projectName);
    expect(after.store!.Id).toBe(before.store!.Id);
    expect(after.store!.State.StartedAt).toBe(before.store!.State.StartedAt);
    expect(artifacts()).toEqual(artifactsBefore);
  });

  it('the failed backup must be reported by the drift report', async () => {
    const drift = await stack.run('drift', '--format', 'json');
    const backups = JSON.parse(drift.stdout).projects[0].backups;
    expect(backups).toEqual([expect.objectContaining({ name: 'store', service: 'store', failuresSinceSuccess: 1, lastSuccessAt: expect.any(String) })]);
    expect(backups[0].lastError).toMatch(/exit/i);
    const markdown = await stack.run('drift', '--format', 'markdown');
    expect(markdown.stdout).toContain('Backups needing attention');
  });
});
