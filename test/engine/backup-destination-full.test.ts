import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupEngine, ExecOptions } from '../../src/backup/backup-engine.js';
import { resolveBackupDefinitions } from '../../src/backup/definitions/resolve.js';
import { runBackup } from '../../src/backup/run-backup.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { ContainerInspect, ContainerSummary } from '../../src/engine/engine-port.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';
import { mountSmallTmpfs, type SmallTmpfs } from '../support/small-tmpfs.js';

// A destination that fills up (a real 64 KiB tmpfs, ENOSPC from the kernel): the run fails with a clear
// error and nothing is left under a final name, nor a .partial; once there is room, the next run works.
// The dumper is a fake exec writing incompressible bytes; the file system is real.

function dumpingEngine(size: number): BackupEngine {
  const labels = { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'app', 'com.docker.compose.container-number': '1', 'io.composelet.managed': 'true' };
  const summary = { Id: 'c1', Names: ['/shop-app-1'], Labels: labels, State: 'running' } as unknown as ContainerSummary;
  const inspect = { Id: 'c1', Name: '/shop-app-1', Image: 'sha256:image', State: { Running: true, Status: 'running' }, Config: { Image: 'example/app:1', Labels: labels } } as unknown as ContainerInspect;
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected engine call ${name}`));
  return {
    listContainers: async () => [summary],
    inspectContainer: async () => inspect,
    inspectImage: unexpected('inspectImage'),
    createContainer: unexpected('createContainer'),
    startContainer: unexpected('startContainer'),
    stopContainer: unexpected('stopContainer'),
    removeContainer: unexpected('removeContainer'),
    waitContainer: unexpected('waitContainer'),
    runThrowaway: unexpected('runThrowaway'),
    getArchive: unexpected('getArchive'),
    putArchive: unexpected('putArchive'),
    async exec(_containerId: string, options: ExecOptions) {
      await new Promise<void>((resolve, reject) => {
        options.stdout!.once('error', reject);
        options.stdout!.end(randomBytes(size), resolve);
      });
      return { exitCode: 0, stdout: '', stderr: '' };
    },
  };
}

describe('a backup destination that fills up', () => {
  const projectDirectory = writeManifestTree(
    {
      'compose.yaml': yaml`
        services:
          app:
            image: example/app:1
            x-composelet:
              backup: { strategy: exec, command: dump-everything, destination: ./backups }
      `,
    },
    { directoryName: 'shop' },
  );
  mkdirSync(join(projectDirectory, 'backups'));
  let tmpfs: SmallTmpfs | null = null;
  afterAll(() => tmpfs?.unmount());

  const load = () => {
    const loaded = loadDesiredState(projectDirectory, { environment: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const project = loaded.state.projects[0]!;
    return { project, definition: resolveBackupDefinitions(project).definitions[0]! };
  };

  it('must fail that run naming the destination and ENOSPC, leaving no artifact and no .partial', async () => {
    // The destination's parent is a 64 KiB tmpfs: the whole destination is on it.
    tmpfs = mountSmallTmpfs({ sizeKiB: 64, at: join(projectDirectory, 'backups') });
    const { project, definition } = load();
    expect(dirname(dirname(definition.directory))).toBe(tmpfs.directory);
    const result = await runBackup(dumpingEngine(200 * 1024), project, definition, { verify: false });
    expect(result.ok).toBe(false);
    expect(result.artifactPath).toBeNull();
    expect(result.error).toBe(`the destination ${definition.directory} is full: no space left on device (ENOSPC); nothing was kept`);
    const files = readdirSync(definition.directory);
    expect(files.filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect(files.filter((name) => name.endsWith('.dump.gz'))).toEqual([]);
    expect(files.filter((name) => name.endsWith('.failed.json'))).toHaveLength(1);

    const small = await runBackup(dumpingEngine(8 * 1024), project, definition, { verify: false });
    expect(small.error).toBeNull();
    expect(readdirSync(definition.directory).filter((name) => name.endsWith('.dump.gz'))).toHaveLength(1);
  });
});
