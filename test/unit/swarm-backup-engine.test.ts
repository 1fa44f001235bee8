import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BackupEngine, CommandResult } from '../../src/backup/backup-engine.js';
import type { ContainerInspect } from '../../src/engine/engine-port.js';
import type { ServiceSpec } from '../../src/swarm/mapping/swarm-types.js';
import { createSwarmBackupEngine } from '../../src/swarm/backup/swarm-backup-engine.js';
import { sweepSwarmBackupJobs } from '../../src/swarm/backup/swarm-backups.js';
import type { RawTask, SwarmBackupPort } from '../../src/swarm/backup/swarm-backup-port.js';

// A Swarm project's backups go where its database's task runs: the node's engine when composelet knows it,
// else a one-off job on the cluster that is always removed; other projects stay on the local engine. Fakes
// of the manager and the engines record the exact calls.

const SELECT_DB = { label: ['com.docker.compose.project=shop', 'com.docker.compose.service=db'] };
const RUNNING: RawTask = {
  ID: 'task-1',
  NodeID: 'node-2',
  DesiredState: 'running',
  CreatedAt: '2026-12-01T10:00:00Z',
  Status: { State: 'running', ContainerStatus: { ContainerID: 'container-1' } },
  Spec: { ContainerSpec: { Image: 'composelet/postgres:15', Labels: { 'io.composelet.managed': 'true' } } },
  NetworksAttachments: [{ Network: { ID: 'net', Spec: { Name: 'shop_default' } }, Addresses: ['10.0.1.7/24'] }],
};

function jobOutput(content: string, status = 0): Buffer {
  const sha = createHash('sha256').update(content).digest('hex');
  return Buffer.from(`composelet-backup-begin\n${Buffer.from(content).toString('base64')}\ncomposelet-backup-end ${status} ${sha} ${content.length}\n`);
}

function fakeSwarm(job: { state: string; stdout: Buffer; stderr?: string; error?: string }) {
  const calls: string[] = [];
  const created: ServiceSpec[] = [];
  const port: SwarmBackupPort = {
    async service(name) {
      calls.push(`service ${name}`);
      return name === 'shop_db' ? { ID: 'svc-db', Spec: { Name: 'shop_db', Labels: {}, TaskTemplate: { ContainerSpec: { Image: 'composelet/postgres:15', Env: ['POSTGRES_DB=shop'] }, Networks: [{ Target: 'net', Aliases: ['db'] }] }, Mode: { Replicated: { Replicas: 1 } } } } : null;
    },
    async tasks(serviceId) {
      calls.push(`tasks ${serviceId}`);
      if (serviceId === 'svc-db') return [RUNNING];
      return [{ ID: 'job-task', DesiredState: 'complete', Status: { State: job.state, ...(job.error ? { Err: job.error } : {}) } }];
    },
    async nodeHostnames() {
      return new Map([['node-2', 'worker-2']]);
    },
    async createService(spec) {
      calls.push(`create ${spec.Name.replace(/-[0-9a-f]{8}$/, '-*')}`);
      created.push(spec);
      return 'job-1';
    },
    async serviceLogs(serviceId) {
      calls.push(`logs ${serviceId}`);
      return { stdout: job.stdout, stderr: Buffer.from(job.stderr ?? '') };
    },
    async removeService(serviceId) {
      calls.push(`remove ${serviceId}`);
    },
    async servicesLabelled() {
      return [];
    },
  };
  return { port, calls, created };
}

function fakeEngine(name: string, calls: string[]): BackupEngine {
  const refuse = (method: string) => async () => {
    throw new Error(`${name}: unexpected ${method}`);
  };
  const inspect = { Id: 'container-1', Name: '/shop_db.1.task-1', Created: '2026-12-01T10:00:00Z', Image: 'sha256:abc', State: { Status: 'running', Running: true, ExitCode: 0, StartedAt: '', FinishedAt: '' }, Config: { Image: 'composelet/postgres:15', Labels: { 'io.composelet.managed': 'true' }, Env: null, Cmd: null, Entrypoint: null }, HostConfig: {}, Mounts: [], NetworkSettings: { Networks: {} } } as ContainerInspect;
  return {
    listContainers: async (filters) => {
      calls.push(`${name} list ${JSON.stringify(filters)}`);
      return [];
    },
    inspectContainer: async (id) => {
      calls.push(`${name} inspect ${id}`);
      return inspect;
    },
    exec: async (id, options): Promise<CommandResult> => {
      calls.push(`${name} exec ${id} ${options.command.join(' ')}`);
      options.stdout?.end('dump from the node');
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    getArchive: refuse('getArchive'),
    putArchive: refuse('putArchive'),
    runThrowaway: refuse('runThrowaway'),
    inspectImage: refuse('inspectImage'),
    createContainer: refuse('createContainer'),
    startContainer: refuse('startContainer'),
    stopContainer: refuse('stopContainer'),
    removeContainer: refuse('removeContainer'),
    waitContainer: refuse('waitContainer'),
  };
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

function setup(options: { nodeKnown: boolean; job?: Parameters<typeof fakeSwarm>[0] }) {
  const swarm = fakeSwarm(options.job ?? { state: 'complete', stdout: jobOutput('dump from the job') });
  const engineCalls: string[] = [];
  const node = fakeEngine('node', engineCalls);
  const engine = createSwarmBackupEngine({
    local: fakeEngine('local', engineCalls),
    swarm: swarm.port,
    isSwarmProject: (projectName) => projectName === 'shop',
    nodeEngine: (hostname) => (options.nodeKnown && hostname === 'worker-2' ? node : null),
    owner: '42@controller',
  });
  return { engine, swarm, engineCalls };
}

describe('the backup engine of a Swarm project', () => {
  it("must find the database's task through the manager and exec there through its node's engine", async () => {
    const { engine, swarm, engineCalls } = setup({ nodeKnown: true });
    const [container] = await engine.listContainers(SELECT_DB);
    expect(container).toMatchObject({ Id: 'container-1', State: 'running', Labels: { 'io.composelet.managed': 'true' } });
    const out = sink();
    const result = await engine.exec('container-1', { command: ['pg_dump'], stdout: out.stream });
    expect(result.exitCode).toBe(0);
    expect(out.text()).toBe('dump from the node');
    expect(engineCalls).toEqual(['node inspect container-1', 'node exec container-1 pg_dump']);
    expect(swarm.calls).toEqual(['service shop_db', 'tasks svc-db']);
  });

  it('without the node\'s engine, must dump through a one-off job, hand its checked output on, and remove the job', async () => {
    const { engine, swarm, engineCalls } = setup({ nodeKnown: false });
    const [container] = await engine.listContainers(SELECT_DB);
    expect(container).toMatchObject({ Id: 'container-1', Image: 'composelet/postgres:15', State: 'running' });
    expect((await engine.inspectContainer('container-1')).Config.Image).toBe('composelet/postgres:15');
    const out = sink();
    const result = await engine.exec('container-1', { command: ['pg_dump'], stdout: out.stream });
    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(out.text()).toBe('dump from the job');
    expect(swarm.calls).toEqual(['service shop_db', 'tasks svc-db', 'service shop_db', 'create shop_db-backup-*', 'tasks job-1', 'logs job-1', 'remove job-1']);
    expect(swarm.created[0]!.TaskTemplate.ContainerSpec.Env).toContain('PGHOST=10.0.1.7');
    expect(engineCalls).toEqual([]);
  });

  it("must report the dumper's exit status and stderr from the job, and still remove it", async () => {
    const { engine, swarm } = setup({ nodeKnown: false, job: { state: 'complete', stdout: jobOutput('', 1), stderr: 'pg_dump: error: database "nope" does not exist\n' } });
    await engine.listContainers(SELECT_DB);
    const result = await engine.exec('container-1', { command: ['pg_dump'], stdout: sink().stream });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('database "nope" does not exist');
    expect(swarm.calls.at(-1)).toBe('remove job-1');
  });

  it.each<[string, Parameters<typeof fakeSwarm>[0], string]>([
    ['a job Swarm rejected', { state: 'rejected', stdout: Buffer.alloc(0), error: 'No such image: composelet/postgres:15' }, 'ended rejected: No such image: composelet/postgres:15'],
    ['a damaged read-back', { state: 'complete', stdout: Buffer.from(jobOutput('abcdef').toString().replace('YWJjZGVm', 'YWJjZGVn')) }, 'the dump read back from the backup job is damaged'],
  ])('%s must fail clearly and leave no job behind', async (_name, job, message) => {
    const { engine, swarm } = setup({ nodeKnown: false, job });
    await engine.listContainers(SELECT_DB);
    await expect(engine.exec('container-1', { command: ['pg_dump'], stdout: sink().stream })).rejects.toThrow(message);
    expect(swarm.calls.at(-1)).toBe('remove job-1');
  });

  it("must say that copying files out of a task needs its node's engine", async () => {
    const { engine } = setup({ nodeKnown: false });
    await engine.listContainers(SELECT_DB);
    await expect(engine.getArchive('container-1', '/data/dump.rdb')).rejects.toThrow(
      'copying /data/dump.rdb out in service "db"\'s task on node worker-2 needs that node\'s engine: give its address with --swarm-node-engine worker-2=unix:///...|tcp://...',
    );
  });

  it('must not run a command fed on stdin (a restore) through a job, which has no stdin', async () => {
    const { engine, swarm } = setup({ nodeKnown: false });
    await engine.listContainers(SELECT_DB);
    await expect(engine.exec('container-1', { command: ['pg_restore'], stdin: Readable.from(['dump']) })).rejects.toThrow("feeding a command (a restore) in service \"db\"'s task on node worker-2 needs that node's engine");
    expect(swarm.calls.filter((call) => call.startsWith('create'))).toEqual([]);
  });

  it('must never stop a Swarm task (Swarm would replace it), and leave other projects on the local engine', async () => {
    const { engine, engineCalls } = setup({ nodeKnown: true });
    await engine.listContainers(SELECT_DB);
    await expect(engine.stopContainer('container-1', { timeoutSeconds: 10, signal: null })).rejects.toThrow('stop_service is not supported there');
    await engine.listContainers({ label: ['com.docker.compose.project=other', 'com.docker.compose.service=db'] });
    expect(engineCalls.at(-1)).toBe('local list {"label":["com.docker.compose.project=other","com.docker.compose.service=db"]}');
  });
});

describe('sweepSwarmBackupJobs', () => {
  it("must remove only the jobs whose process on this host is gone", async () => {
    const removed: string[] = [];
    const jobs = [
      { id: 'dead', name: 'shop_db-backup-1', labels: { 'io.composelet.backup-helper': 'shop', 'io.composelet.backup-helper.owner': '111@controller' }, createdMs: 0 },
      { id: 'alive', name: 'shop_db-backup-2', labels: { 'io.composelet.backup-helper': 'shop', 'io.composelet.backup-helper.owner': '222@controller' }, createdMs: 0 },
      { id: 'elsewhere', name: 'shop_db-backup-3', labels: { 'io.composelet.backup-helper': 'shop', 'io.composelet.backup-helper.owner': '111@other-host' }, createdMs: 0 },
    ];
    const port = { servicesLabelled: async () => jobs, removeService: async (id: string) => void removed.push(id) } as unknown as SwarmBackupPort;
    const swept = await sweepSwarmBackupJobs(port, { host: 'controller', nowMs: 0, isAlive: (pid) => pid === 222 });
    expect(swept).toEqual(['shop_db-backup-1']);
    expect(removed).toEqual(['dead']);
  });
});
