import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupBeforeRecreate } from '../../src/backup/before-recreate.js';
import { backupStack, leftoverHelpers } from '../../src/backup/testing/backup-stack.test-support.js';
import { eventually } from '../support/eventually.js';

// Backups that need no database, on busybox: a named volume copied with the service stopped and started
// again; files out of the container; a dumper that fails; the composelet process killed mid-backup;
// retention on real artifacts; a failing pre-recreate backup that forbids the recreate.

const stack = backupStack('backup-busybox', 'backup-files');
const artifactsDirectory = () => join(stack.directory, 'backups', stack.projectName, 'files');
const namesIn = (prefix: string) => readdirSync(artifactsDirectory()).filter((name) => name.startsWith(`${prefix}-`)).sort();

describe('volume, files and exec backups on the real engine', () => {
  beforeAll(async () => {
    const applied = await stack.run('apply', '--timeout', '60s');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    await stack.exec('files', 'sh', '-c', 'echo hello > /srv/content/notes.txt && mkdir -p /srv/content/sub && echo deep > /srv/content/sub/file');
  }, 120_000);
  afterAll(() => stack.cleanup());

  it('a volume backup with stop_service must stop the service for the copy, start it again, and restore the contents', async () => {
    const before = await stack.engine.inspectContainer(stack.containerName('files'));
    const run = await stack.backup('run', 'files', '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout).runs;
    expect(result.verification.checks.find((check: { name: string }) => check.name === 'tar')).toMatchObject({ ok: true, detail: '4 entries' });
    const after = await stack.engine.inspectContainer(stack.containerName('files'));
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).not.toBe(before.State.StartedAt);
    expect(await leftoverHelpers(stack.projectName)).toEqual([]);

    await stack.exec('files', 'sh', '-c', 'rm -rf /srv/content/* && echo junk > /srv/content/junk');
    const restore = await stack.backup('restore', 'files', '--yes');
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect((await stack.exec('files', 'find', '/srv/content')).split('\n').filter(Boolean).sort()).toEqual(['/srv/content', '/srv/content/notes.txt', '/srv/content/sub', '/srv/content/sub/file']);
    expect(await stack.exec('files', 'cat', '/srv/content/sub/file')).toBe('deep\n');
  });

  it('a files backup must copy the paths out and put them back where they were', async () => {
    const run = await stack.backup('run', 'config-files');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await stack.exec('files', 'sh', '-c', 'echo "port: 9999" > /etc/app/config.yml && echo changed > /srv/content/notes.txt');
    const restore = await stack.backup('restore', 'config-files', '--yes');
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(await stack.exec('files', 'cat', '/etc/app/config.yml', '/srv/content/notes.txt')).toBe('port: 8080\nhello\n');
  });

  it('a dumper that exits 1 must be reported and leave no artifact', async () => {
    const run = await stack.backup('run', 'failing');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAILED');
    expect(run.stdout).toContain('exited with code 1: the dumper broke');
    expect(namesIn('failing')).toEqual([expect.stringMatching(/^failing-\d{8}T\d{6}\.\d{3}Z\.failed\.json$/)]);
    const listed = JSON.parse((await stack.backup('list', 'failing', '--json')).stdout).backups[0];
    expect(listed.artifacts).toEqual([]);
    expect(listed.failures[0]).toMatchObject({ status: 'failed', exitStatus: 1 });
  });

  it('killing the process mid-backup must leave no artifact under a final name, and the next run must clean up', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../src/backup/testing/backup-cli-main.test-support.ts', import.meta.url)), 'backup', 'run', stack.directory, '--project-name', stack.projectName, 'slow'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal === null ? 0 : 1)));
    const partial = await eventually(
      () => {
        const name = namesIn('slow').find((candidate) => candidate.endsWith('.partial'));
        if (!name || statSync(join(artifactsDirectory(), name)).size < 2_000_000) throw new Error(`no 2 MB partial yet: ${namesIn('slow').join(', ')}`);
        return name;
      },
      { timeoutMs: 30_000, message: 'the slow dump writing its partial file' },
    );
    child.kill('SIGKILL');
    expect(await exited).toBe(1);
    expect(namesIn('slow')).toEqual([partial]);
    expect(JSON.parse((await stack.backup('list', 'slow', '--json')).stdout).backups[0].artifacts).toEqual([]);

    await stack.exec('files', 'sh', '-c', 'echo 100000 > /tmp/size');
    const rerun = await stack.backup('run', 'slow', '--json');
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    const [result] = JSON.parse(rerun.stdout).runs;
    expect(result.cleaned).toEqual([join(artifactsDirectory(), partial)]);
    expect(result.manifest.contentSize).toBe(100_000);
    expect(namesIn('slow')).toEqual([expect.stringMatching(/\.dump\.gz$/), expect.stringMatching(/\.dump\.gz\.json$/)]);
  });

  it('retention must keep the newest artifacts on disk and delete the rest', async () => {
    for (let run = 0; run < 2; run++) expect((await stack.backup('run', 'files')).code).toBe(0);
    const artifacts = namesIn('files').filter((name) => name.endsWith('.tar.gz'));
    expect(artifacts).toHaveLength(2);
    const listed = JSON.parse((await stack.backup('list', 'files', '--json')).stdout).backups[0].artifacts;
    expect(listed.map((artifact: { artifact: string }) => artifact.artifact).sort()).toEqual(artifacts);
  });

  it('a failing backup before a recreate must forbid the recreate and say why', async () => {
    stack.edit((text) => text.replace('      before_recreate: false\n    slow:', '    slow:'));
    const outcomes = await backupBeforeRecreate(stack.engine, stack.project(), ['files']);
    expect(outcomes.files!.status).toBe('failed');
    expect(outcomes.files!.reason).toContain('backup failing: echo half a dump; echo the dumper broke >&2; exit 1 exited with code 1: the dumper broke');
    expect(outcomes.files!.results.map((result) => [result.definition, result.ok])).toEqual([['config-files', true], ['failing', false], ['files', true]]);
  });
});
