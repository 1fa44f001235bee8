import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { runBackupCli } from '../../src/backup/testing/backup-cli.test-support.js';
import { runDocker, TEST_IMAGE, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';

// Helper containers a killed verify or backup left behind are swept when a `backup` command starts:
// only composelet's helpers, and only those whose process is gone; a live process's helper, another
// host's helper and containers that are not helpers stay.

const projectName = uniqueProjectName('sweep');
const marker = `io.composelet.test-sweep=${projectName}`;
const names = { dead: `${projectName}-dead`, live: `${projectName}-live`, otherHost: `${projectName}-other-host`, notHelper: `${projectName}-not-helper` };
const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });

async function createContainer(name: string, labels: string[]): Promise<void> {
  await runDocker(['create', '--name', name, '--label', marker, ...labels.flatMap((label) => ['--label', label]), TEST_IMAGE, 'sleep', '300']);
}

async function remaining(): Promise<string[]> {
  return (await runDocker(['ps', '-a', '--filter', `label=${marker}`, '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
}

describe('sweeping backup helpers left behind', () => {
  afterAll(async () => {
    sleeper.kill('SIGKILL');
    const left = await remaining();
    if (left.length > 0) await runDocker(['rm', '-f', ...left]);
  });

  it('a backup command must remove the helpers of dead processes and only those', async () => {
    // A pid that was alive and is gone now: a process that already exited.
    const deadPid = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    const helper = `io.composelet.backup-helper=${projectName}`;
    await createContainer(names.dead, [helper, `io.composelet.backup-helper.owner=${deadPid}@${hostname()}`]);
    await createContainer(names.live, [helper, `io.composelet.backup-helper.owner=${sleeper.pid}@${hostname()}`]);
    await createContainer(names.otherHost, [helper, `io.composelet.backup-helper.owner=${deadPid}@another-host.example`]);
    await createContainer(names.notHelper, [`com.docker.compose.project=${projectName}`]);
    const directory = writeManifestTree(
      { 'compose.yaml': yaml`
        services:
          app:
            image: ${TEST_IMAGE}
            x-composelet:
              backup: { strategy: exec, command: dump, destination: ./backups }
      ` },
      { directoryName: projectName },
    );

    const run = await runBackupCli(['backup', 'verify', directory], { env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toContain(`removed backup helper ${names.dead} of project ${projectName} left behind (its process ${deadPid} on ${hostname()} is gone)`);
    expect(await remaining()).toEqual([names.live, names.notHelper, names.otherHost].sort());
  });
});
