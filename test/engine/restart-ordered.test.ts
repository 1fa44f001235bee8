import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectProject, stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';

// `composelet restart --with-dependents db` on the real engine: ui and api stop before db, db starts first,
// api only once db is healthy again (db takes 2 s to become healthy), ui after api; and when db does not
// become healthy, the sequence stops there: api and ui are left stopped and the command says where.

const engine = testEngine();
const projectName = uniqueProjectName('restart');
const stack = stackFixture('restart-ordered', projectName);
const ms = (time: string) => Date.parse(time);

describe('composelet restart', () => {
  beforeAll(async () => {
    const applied = await stack.run('apply', '--timeout', '60s');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  });
  afterAll(async () => {
    await removeProjectObjects(engine, projectName);
  });

  it('restart --with-dependents db must restart api and ui after db is healthy again, in order', async () => {
    const before = await inspectProject(engine, projectName);
    const restarted = await stack.run('restart', 'db', '--with-dependents', '--timeout', '30s');
    expect(restarted.stderr).toBe('');
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain(`project ${projectName}: restarted db, api, ui`);
    const after = await inspectProject(engine, projectName);
    for (const service of ['db', 'api', 'ui']) {
      expect(after[service]!.Id, `${service} restarted in place`).toBe(before[service]!.Id);
      expect(after[service]!.State.Running).toBe(true);
      expect(ms(after[service]!.State.StartedAt), `${service} started again`).toBeGreaterThan(ms(before[service]!.State.StartedAt));
    }
    // stops: dependents first
    expect(ms(after.ui!.State.FinishedAt)).toBeLessThanOrEqual(ms(after.api!.State.FinishedAt));
    expect(ms(after.api!.State.FinishedAt)).toBeLessThanOrEqual(ms(after.db!.State.FinishedAt));
    // starts: db, then api once db is healthy (2 s after its start), then ui
    expect(ms(after.api!.State.StartedAt) - ms(after.db!.State.StartedAt), 'api waited for db to be healthy').toBeGreaterThanOrEqual(1_900);
    expect(ms(after.ui!.State.StartedAt)).toBeGreaterThan(ms(after.api!.State.StartedAt));
    const audit = readFileSync(stack.auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(audit.filter((entry) => entry.actor === 'restart' && entry.action === 'start-container' && entry.result === 'succeeded').map((entry) => entry.service)).toEqual(['db', 'api', 'ui']);
  });

  it('a failing start must stop the sequence and say where', async () => {
    await runDocker(['exec', `${projectName}-db-1`, 'touch', '/broken']);
    const restarted = await stack.run('restart', 'db', '--with-dependents', '--timeout', '5s');
    expect(restarted.code).toBe(1);
    expect(restarted.stderr).toContain(`stopped at db (wait container:${projectName}-db-1, op [4]): timed out after 5s waiting for healthy`);
    expect(restarted.stderr).toContain('not started: api, ui');
    const after = await inspectProject(engine, projectName);
    expect(after.db!.State.Running).toBe(true);
    expect(after.api!.State.Running, 'api not started after db failed').toBe(false);
    expect(after.ui!.State.Running, 'ui not started after db failed').toBe(false);
  });
});
