import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';
import { SwarmCluster } from '../support/swarm/cluster.js';

// Backups of a PostgreSQL service whose task runs on a worker (node 2), taken from the manager: through
// the worker's engine when composelet is given its address, else through a one-off job on the database's
// overlay network that streams the dump back in its logs. The dump must hold the rows written in the
// database, and a failed dump must leave nothing under a final name and no helper service behind.

const POSTGRES = 'composelet/postgres:15';
const MARKER = 'swarm-backup-row-4711';

const manifest = (workerHostname: string) => `name: swbak
x-composelet:
  target: swarm
  backups:
    wrongdb:
      service: db
      strategy: exec
      command: exec pg_dump -U postgres --format=custom --compress=0 no_such_database
      destination: ./backups
services:
  db:
    image: ${POSTGRES}
    stop_signal: SIGINT
    environment: { POSTGRES_DB: shop }
    healthcheck: { test: ["CMD-SHELL", "pg_isready -U postgres"], interval: 1s, timeout: 3s, retries: 60 }
    deploy:
      endpoint_mode: dnsrr
      placement: { constraints: ["node.hostname == ${workerHostname}"] }
    x-composelet:
      backup: { preset: postgres, destination: ./backups }
`;

let cluster: SwarmCluster;
let directory: string;

beforeAll(async () => {
  // PostgreSQL is pinned to node 2 and its backup job runs on the task's node; the dump is verified
  // (pg_restore --list) in a throwaway container on the manager, node 1. Node 3 needs no 490 MB image.
  cluster = await SwarmCluster.up({ images: [POSTGRES], imageNodes: [1, 2] });
  directory = writeManifestTree({ 'compose.yaml': manifest(cluster.nodes[1]!.hostname) }, { directoryName: 'swbak' });
  const applied = await cli('apply', directory, '--timeout', '90s');
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  await eventually(async () => {
    await psqlOnWorker(`create table if not exists items (id int primary key, name text); insert into items values (1, '${MARKER}') on conflict do nothing`);
  }, { timeoutMs: 60_000 });
}, 180_000);

afterAll(async () => {
  // The database first: engines stop at once, rather than each waiting on a running postgres.
  await cluster?.docker('service', 'rm', 'swbak_db').catch(() => undefined);
  await cluster?.down();
}, 180_000);

function cli(...argv: string[]) {
  return runCliCaptured(argv, { env: { PATH: process.env.PATH, DOCKER_HOST: cluster.managerHost } });
}

/** psql in the database's task container, through the worker's own engine (the test's side door). */
async function psqlOnWorker(sql: string): Promise<string> {
  const run = (args: string[]) => cluster.dockerOn(cluster.nodes[1]!, ...args);
  const containerId = (await run(['ps', '-q', '--filter', 'label=com.docker.swarm.service.name=swbak_db'])).trim();
  if (!containerId) throw new Error('the database task is not running on the worker yet');
  return run(['exec', containerId, 'psql', '-U', 'postgres', '-d', 'shop', '-v', 'ON_ERROR_STOP=1', '-Atc', sql]);
}

async function backupServices(): Promise<string[]> {
  return (await cluster.docker('service', 'ls', '--format', '{{.Name}}')).split('\n').filter(Boolean).sort();
}

function dumpText(artifactPath: string): string {
  return gunzipSync(readFileSync(artifactPath)).toString('latin1');
}

describe('a backup of a Swarm database whose task runs on a worker', () => {
  it("through the worker's engine (--swarm-node-engine) must write a verified dump holding the rows", async () => {
    const worker = cluster.nodes[1]!;
    const run = await cli('backup', 'run', directory, 'db', '--json', '--swarm-node-engine', `${worker.hostname}=${worker.host}`);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout).runs;
    expect(result.manifest).toMatchObject({ status: 'succeeded', strategy: 'exec', preset: 'postgres', image: POSTGRES });
    expect(result.verification.checks.map((check: { name: string; ok: boolean }) => [check.name, check.ok])).toEqual([['checksum', true], ['gzip', true], ['pg_restore --list', true]]);
    expect(dumpText(result.artifactPath)).toContain(MARKER);
  });

  it('without the worker\'s address, through a one-off job, must write the same dump and leave no service behind', async () => {
    const run = await cli('backup', 'run', directory, 'db', '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout).runs;
    expect(result.manifest).toMatchObject({ status: 'succeeded', strategy: 'exec', image: POSTGRES });
    expect(result.verification.ok).toBe(true);
    expect(dumpText(result.artifactPath)).toContain(MARKER);
    expect(await backupServices()).toEqual(['swbak_db']);
  });

  it('a failing dump must leave no file under a final name, no helper service, and say why', async () => {
    const run = await cli('backup', 'run', directory, 'wrongdb');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAILED swbak\/wrongdb: .*exited with code 1: .*database "no_such_database" does not exist/);
    const files = readdirSync(join(directory, 'backups', 'swbak', 'db')).filter((name) => name.startsWith('wrongdb'));
    expect(files.filter((name) => !name.endsWith('.failed.json'))).toEqual([]);
    expect(files.filter((name) => name.endsWith('.failed.json'))).toHaveLength(1);
    expect(await backupServices()).toEqual(['swbak_db']);
  });
});
