import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/eventually.js';
import { describe, expect, it } from 'vitest';
import { readHistory } from '../../src/backup/artifacts/history.js';
import type { BackupEngine, ExecOptions } from '../../src/backup/backup-engine.js';
import { servicesUnderBackup } from '../../src/backup/backup-status.js';
import { resolveBackupDefinitions } from '../../src/backup/definitions/resolve.js';
import { runBackup } from '../../src/backup/run-backup.js';
import { frame } from '../../src/backup/stream-demux.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { ContainerInspect, ContainerSummary } from '../../src/engine/engine-port.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';

// One run against a fake engine: the artifact and its manifest, or no artifact and a failure record;
// leftovers of killed runs removed; one run per definition at a time; hooks; retention after a good run.

type ExecBehaviour = (options: ExecOptions) => Promise<{ exitCode: number; stderr?: string }>;

function fakeEngine(behaviour: ExecBehaviour): BackupEngine & { execs: string[][] } {
  const labels = { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'app', 'com.docker.compose.container-number': '1', 'io.composelet.managed': 'true', 'io.composelet.spec-hash': 'spec-123' };
  const summary = { Id: 'c1', Names: ['/shop-app-1'], Labels: labels, State: 'running' } as unknown as ContainerSummary;
  const inspect = { Id: 'c1', Name: '/shop-app-1', Image: 'sha256:image', State: { Running: true, Status: 'running' }, Config: { Image: 'example/app:1', Labels: labels } } as unknown as ContainerInspect;
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected engine call ${name}`));
  const execs: string[][] = [];
  return {
    execs,
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
    async exec(_containerId, options) {
      execs.push(options.command);
      const result = await behaviour(options);
      return { exitCode: result.exitCode, stdout: '', stderr: result.stderr ?? '' };
    },
  };
}

/** An exec that writes `content` to stdout (as the adapter does: the stream is ended with the output). */
const writes = (content: string | Buffer, exitCode = 0, stderr = ''): ExecBehaviour => async (options) => {
  if (options.stdout) await new Promise<void>((resolve) => options.stdout!.end(content, resolve));
  return { exitCode, stderr };
};

function setup(extra = '') {
  const directory = writeManifestTree({
    'compose.yaml': yaml`
      services:
        app:
          image: example/app:1
          x-composelet:
            backup:
              strategy: exec
              command: dump-everything
              destination: ./backups
      ${extra}
    `,
  }, { directoryName: 'shop' });
  const result = loadDesiredState(directory, { environment: {} });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const project = result.state.projects[0]!;
  const definitions = resolveBackupDefinitions(project).definitions;
  return { project, definitions, definition: definitions[0]!, directory: join(directory, 'backups', 'shop', 'app') };
}

const clockAt = (...times: string[]) => {
  let index = 0;
  return () => new Date(times[Math.min(index++, times.length - 1)]!);
};

describe('runBackup', () => {
  it('a good run must leave the artifact and its manifest under final names, verified', async () => {
    const { project, definition, directory } = setup();
    const result = await runBackup(fakeEngine(writes('the whole database\n'.repeat(1000))), project, definition, { now: clockAt('2025-06-15T03:00:00.000Z', '2025-06-15T03:00:02.500Z') });
    expect(result.error).toBeNull();
    expect(result.ok).toBe(true);
    expect(readdirSync(directory).sort()).toEqual(['app-20250615T030000.000Z.dump.gz', 'app-20250615T030000.000Z.dump.gz.json']);
    const manifest = JSON.parse(readFileSync(join(directory, 'app-20250615T030000.000Z.dump.gz.json'), 'utf8'));
    const bytes = readFileSync(join(directory, 'app-20250615T030000.000Z.dump.gz'));
    expect(manifest).toMatchObject({
      status: 'succeeded',
      project: 'shop',
      service: 'app',
      name: 'app',
      strategy: 'exec',
      image: 'example/app:1',
      imageId: 'sha256:image',
      containerId: 'c1',
      specHash: 'spec-123',
      definitionHash: definition.definitionHash,
      startedAt: '2025-06-15T03:00:00.000Z',
      finishedAt: '2025-06-15T03:00:02.500Z',
      durationMs: 2500,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      contentSize: 19_000,
      exitStatus: 0,
      trigger: 'manual',
      composeletVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
      verification: { ok: true },
    });
    expect(manifest.verification.checks.map((check: { name: string }) => check.name)).toEqual(['checksum', 'gzip']);
    expect((await readHistory(definition)).artifacts).toHaveLength(1);
  });

  it('a dumper that fails must leave no artifact, only the record of the failure', async () => {
    const { project, definition, directory } = setup();
    const result = await runBackup(fakeEngine(writes('half a dump', 1, 'pg_dump: error: connection refused\n')), project, definition, { now: clockAt('2025-06-15T03:00:00.000Z') });
    expect(result.ok).toBe(false);
    expect(result.artifactPath).toBeNull();
    expect(result.error).toBe('dump-everything exited with code 1: pg_dump: error: connection refused');
    expect(readdirSync(directory)).toEqual(['app-20250615T030000.000Z.failed.json']);
    const history = await readHistory(definition);
    expect(history.artifacts).toEqual([]);
    expect(history.failures[0]!.manifest).toMatchObject({ status: 'failed', artifact: null, exitStatus: 1, sha256: null });
  });

  it('a run must remove what a killed run of the same definition left, and nothing of other definitions', async () => {
    const { project, definition, directory } = setup();
    mkdirSync(directory, { recursive: true });
    const leftovers = ['app-20250614T030000.000Z.dump.gz.partial', 'app-20250614T040000.000Z.dump.gz.json', 'app-20250614T050000.000Z.dump.gz.json.partial'];
    for (const name of leftovers) writeFileSync(join(directory, name), name.endsWith('.json') ? JSON.stringify({ formatVersion: 1, status: 'succeeded', artifact: name.replace(/\.json$/, ''), startedAt: '2025-06-14T04:00:00.000Z' }) : 'partial');
    writeFileSync(join(directory, 'other-20250614T030000.000Z.dump.gz.partial'), 'not ours');
    writeFileSync(join(directory, '.app.lock'), JSON.stringify({ pid: 2 ** 22 + 7, host: (await import('node:os')).hostname() }));
    const result = await runBackup(fakeEngine(writes('fresh')), project, definition, { now: clockAt('2025-06-15T03:00:00.000Z') });
    expect(result.ok).toBe(true);
    expect(result.cleaned.map((path) => path.slice(directory.length + 1)).sort()).toEqual(leftovers.sort());
    expect(readdirSync(directory).sort()).toEqual(['app-20250615T030000.000Z.dump.gz', 'app-20250615T030000.000Z.dump.gz.json', 'other-20250614T030000.000Z.dump.gz.partial']);
  });

  it('a second run of a definition while one runs must be refused, not interleaved', async () => {
    const { project, definition } = setup();
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const slow = runBackup(fakeEngine(async (options) => (await blocked, writes('slow')(options))), project, definition, { now: clockAt('2025-06-15T03:00:00.000Z') });
    // the first run holds its lock (taking it is file I/O) before the second one starts
    await eventually(async () => expect([...(await servicesUnderBackup(project))]).toEqual(['app']));
    const second = await runBackup(fakeEngine(writes('fast')), project, definition, { now: clockAt('2025-06-15T03:00:01.000Z') });
    expect(second.ok).toBe(false);
    expect(second.error).toMatch(/already running \(pid \d+\)/);
    expect([...(await servicesUnderBackup(project))]).toEqual(['app']);
    release();
    expect((await slow).ok).toBe(true);
    expect([...(await servicesUnderBackup(project))]).toEqual([]);
  });

  it('a cancelled run must leave no partial file and say it was cancelled', async () => {
    const { project, definition, directory } = setup();
    const controller = new AbortController();
    const engine = fakeEngine(async (options) => {
      options.stdout!.write('some bytes');
      const aborted = new Promise((_resolve, reject) => options.signal!.addEventListener('abort', () => reject(new Error('aborted'))));
      controller.abort();
      await aborted;
      return { exitCode: 0 };
    });
    const result = await runBackup(engine, project, definition, { signal: controller.signal, now: clockAt('2025-06-15T03:00:00.000Z') });
    expect(result.error).toBe('the backup was cancelled');
    expect(readdirSync(directory)).toEqual(['app-20250615T030000.000Z.failed.json']);
  });

  it('a failing pre hook must stop the run before the dumper, and post hooks run after it', async () => {
    const { project, definitions } = setup(`x-composelet:
        backups:
          hooked: { service: app, strategy: exec, command: dump, destination: ./backups, pre: ["flush; exit 3"], post: [[echo, done]] }`);
    const hooked = definitions.find((definition) => definition.name === 'hooked')!;
    const engine = fakeEngine(async (options) => (options.command[2] === 'flush; exit 3' ? { exitCode: 3 } : writes('x')(options)));
    const result = await runBackup(engine, project, hooked, { now: clockAt('2025-06-15T03:00:00.000Z') });
    expect(result.error).toBe('pre hook flush; exit 3 exited with code 3');
    expect(engine.execs).toEqual([['sh', '-c', 'flush; exit 3'], ['echo', 'done']]);
    expect(existsSync(join(hooked.directory, 'hooked-20250615T030000.000Z.dump.gz'))).toBe(false);
  });

  it('retention must run after a good run and keep the newest', async () => {
    const { project, definitions } = setup(`x-composelet:
        backups:
          kept: { service: app, strategy: exec, command: dump, destination: ./backups, retention: { keep_last: 2 } }`);
    const kept = definitions.find((definition) => definition.name === 'kept')!;
    const results = [];
    for (const time of ['2025-06-13T03:00:00.000Z', '2025-06-14T03:00:00.000Z', '2025-06-15T03:00:00.000Z']) {
      results.push(await runBackup(fakeEngine(writes(`dump of ${time}`)), project, kept, { now: () => new Date(time) }));
    }
    expect(results[2]!.retention?.deleted.map((path) => path.slice(kept.directory.length + 1))).toEqual(['kept-20250613T030000.000Z.dump.gz', 'kept-20250613T030000.000Z.dump.gz.json']);
    expect((await readHistory(kept)).artifacts.map((record) => record.manifest.startedAt)).toEqual(['2025-06-15T03:00:00.000Z', '2025-06-14T03:00:00.000Z']);
  });

  it('the engine framing helper must match what the adapter demultiplexes', () => {
    expect(frame(1, 'ab')).toEqual(Buffer.from([1, 0, 0, 0, 0, 0, 0, 2, 97, 98]));
  });
});

describe('runBackup reports', () => {
  it('credentials in a dumper error must be redacted', async () => {
    const { project, definition } = setup();
    const result = await runBackup(fakeEngine(writes('', 2, 'could not connect to postgres://admin:hunter2@db:5432/shop\n')), project, definition, { now: clockAt('2025-06-15T03:00:00.000Z') });
    expect(result.error).toContain('postgres://admin:<redacted:');
    expect(result.error).not.toContain('hunter2');
    expect(JSON.stringify(result.manifest)).not.toContain('hunter2');
  });
});
