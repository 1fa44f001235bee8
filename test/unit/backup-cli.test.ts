import { describe, expect, it } from 'vitest';
import { runBackupCli } from '../../src/backup/testing/backup-cli.test-support.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';

// `composelet backup`: argument handling and the restore confirmation, none of which needs the engine.

const directory = writeManifestTree({
  'compose.yaml': yaml`
    services:
      db:
        image: composelet/postgres:15
        x-composelet:
          backup: { preset: postgres, destination: ./backups, schedule: "0 3 * * *" }
  `,
}, { directoryName: 'shop' });
const noEngine = { PATH: process.env.PATH, DOCKER_HOST: 'tcp://127.0.0.1:1' };

describe('composelet backup', () => {
  it('restore without a terminal and without --yes must refuse and change nothing', async () => {
    const result = await runBackupCli(['backup', 'restore', directory, 'db'], { env: noEngine });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('a restore replaces data; confirm on a terminal or pass --yes');
  });

  it('restore on a terminal must ask, and a "no" must change nothing', async () => {
    const result = await runBackupCli(['backup', 'restore', directory, 'db'], { env: noEngine, isTTY: true, stdinText: 'n\n' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Restore the latest backup of "db" into service db of project shop? Its current data is replaced. [y/N]');
    expect(result.stderr).toContain('not restored');
  });

  it('an unknown subcommand must be a usage error', async () => {
    const result = await runBackupCli(['backup', 'backup-everything', directory], { env: noEngine });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown subcommand "backup-everything": use run, list, verify or restore');
  });

  it('an unknown backup name must list the known ones', async () => {
    const result = await runBackupCli(['backup', 'run', directory, 'dbb'], { env: noEngine });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no backup definition named "dbb" and no service "dbb" with one (known: db)');
  });

  it('list --json must describe each definition, its schedule and its (empty) history', async () => {
    const result = await runBackupCli(['backup', 'list', directory, '--json'], { env: noEngine });
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout);
    expect(listing.backups).toEqual([
      expect.objectContaining({ project: 'shop', name: 'db', service: 'db', strategy: 'exec', schedule: '0 3 * * * (UTC)', artifacts: [], failures: [], nextRunAt: expect.stringMatching(/T03:00:00.000Z$/) }),
    ]);
  });
});
