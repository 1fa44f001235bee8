import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { convergedContainer, projectFromYaml, repeatedId } from '../../reconciler/observe/observed-builders.test-support.js';
import { loadStaleTasks, staleTaskRecordPath } from './stale-task-record.js';
import { STALE_TASK_REASON } from './stale-tasks.js';

const STACK = projectFromYaml(['name: demo', 'services:', '  db:', '    image: postgres:16'].join('\n'));
const silent = pino({ level: 'silent' });

describe('refused starts kept in the state directory', () => {
  it('a refused start must survive a controller restart, in an owner-only file', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-stale-'));
    const refused = convergedContainer(STACK, 'db', 1, { id: repeatedId('a'), state: 'exited' });
    const first = await loadStaleTasks({ stateDir, projectName: 'demo', logger: silent });
    first.record(refused.id);
    await first.save();
    const path = staleTaskRecordPath(stateDir, 'demo');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, containers: [refused.id] });

    const restarted = await loadStaleTasks({ stateDir, projectName: 'demo', logger: silent });
    expect(restarted.directives([refused])).toEqual({ 'demo-db-1': STALE_TASK_REASON });
  });

  it('a container that is gone must be forgotten on disk too', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-stale-'));
    const refused = convergedContainer(STACK, 'db', 1, { id: repeatedId('a'), state: 'exited' });
    const replacement = convergedContainer(STACK, 'db', 1, { id: repeatedId('b') });
    const first = await loadStaleTasks({ stateDir, projectName: 'demo', logger: silent });
    first.record(refused.id);
    await first.save();
    expect(first.directives([replacement])).toEqual({});
    await first.save();
    expect(JSON.parse(readFileSync(staleTaskRecordPath(stateDir, 'demo'), 'utf8'))).toEqual({ version: 1, containers: [] });
    const restarted = await loadStaleTasks({ stateDir, projectName: 'demo', logger: silent });
    expect(restarted.directives([refused])).toEqual({});
  });

  it('nothing refused must write no file', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-stale-'));
    const tasks = await loadStaleTasks({ stateDir, projectName: 'demo', logger: silent });
    expect(tasks.directives([])).toEqual({});
    await tasks.save();
    expect(() => statSync(staleTaskRecordPath(stateDir, 'demo'))).toThrow(/ENOENT/);
  });

  it.each([
    ['not JSON', '{'],
    ['another version', JSON.stringify({ version: 2, containers: [] })],
    ['ids that are not container ids', JSON.stringify({ version: 1, containers: ['../etc'] })],
  ])('a record that is %s must be reported and start empty, not stop the reconcile', async (_what, text) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-stale-'));
    mkdirSync(join(stateDir, 'stale-tasks'));
    writeFileSync(staleTaskRecordPath(stateDir, 'demo'), text);
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
    const tasks = await loadStaleTasks({ stateDir, projectName: 'demo', logger });
    expect(tasks.directives([convergedContainer(STACK, 'db', 1, { id: repeatedId('a') })])).toEqual({});
    expect(warnings.join('\n')).toContain(staleTaskRecordPath(stateDir, 'demo'));
  });

  it('a record that cannot be written must be reported and kept in memory', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-stale-'));
    writeFileSync(join(stateDir, 'stale-tasks'), 'a file where the directory should be');
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
    const refused = convergedContainer(STACK, 'db', 1, { id: repeatedId('a'), state: 'exited' });
    const tasks = await loadStaleTasks({ stateDir, projectName: 'demo', logger });
    tasks.record(refused.id);
    await tasks.save();
    expect(warnings.join('\n')).toMatch(/could not write/);
    expect(tasks.directives([refused])).toEqual({ 'demo-db-1': STALE_TASK_REASON });
  });
});
