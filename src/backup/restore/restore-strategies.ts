import { posix } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Project } from '../../desired-state/model.js';
import type { ArtifactRecord } from '../artifacts/history.js';
import type { BackupEngine } from '../backup-engine.js';
import type { BackupDefinition } from '../definitions/definition.js';
import { serviceContainers, startContainers, stopServices, targetContainer, type ServiceContainer } from '../service-containers.js';
import { displayCommand, helperLabels, lastLines } from '../strategies/strategy.js';
import { VOLUME_MOUNT, withVolumeHelper } from '../strategies/volume-strategy.js';
import { fileHeader, singleFileTar } from '../tar/tar-write.js';
import { aofExtractDirectory, aofRestoreTar } from '../strategies/redis-aof.js';
import { contentStream } from '../verify/content-checks.js';

// Putting an artifact back, per strategy. exec: the restore command (pg_restore --clean --if-exists)
// fed the dump in the running service. redis: stop it, copy the RDB file in, start it. volume: stop the
// service, empty the volume, copy the archive in, start it. files: copy the archive into / of the
// container. Whatever was stopped is started again in a `finally`.

export interface RestoreContext {
  engine: BackupEngine;
  project: Project;
  definition: BackupDefinition;
  record: ArtifactRecord;
  readyTimeoutMs: number;
}

export async function restoreContent(context: RestoreContext): Promise<string> {
  const { definition } = context;
  switch (definition.strategy) {
    case 'exec':
      return restoreByCommand(context);
    case 'redis':
      return withServiceStopped(context, () => restoreRdb(context));
    case 'volume':
      return withServiceStopped(context, () => restoreVolume(context));
    case 'files':
      return definition.stopService ? withServiceStopped(context, () => restoreFiles(context)) : restoreFiles(context);
  }
}

async function withServiceStopped(context: RestoreContext, work: () => Promise<string>): Promise<string> {
  const stopped = await stopServices(context.engine, { project: context.project, services: [context.definition.service] });
  try {
    return await work();
  } finally {
    await startContainers(context.engine, stopped, { timeoutMs: context.readyTimeoutMs });
  }
}

async function restoreByCommand({ engine, project, definition, record }: RestoreContext): Promise<string> {
  const command = definition.restoreCommand ?? record.manifest.details.restoreCommand ?? null;
  if (!command) throw new Error(`backup "${definition.name}" has no restore_command`);
  const container = await targetContainer(engine, project.name, definition.service, { mustRun: true });
  const result = await engine.exec(container.id, { command, user: definition.user, stdin: contentStream(record.artifactPath!, record.manifest) });
  if (result.exitCode !== 0) throw new Error(`${displayCommand(command)} exited with code ${result.exitCode}: ${lastLines(result.stderr || result.stdout)}`);
  return `the restore command read the dump into ${container.name}`;
}

async function restoreRdb({ engine, project, definition, record }: RestoreContext): Promise<string> {
  const { manifest } = record;
  const path = manifest.details.paths?.[0];
  if (!path || manifest.contentSize === null) throw new Error('the manifest does not say where the RDB file goes');
  const container = await anyContainer(engine, project.name, definition.service);
  const entry = fileHeader({ name: posix.basename(path), size: manifest.contentSize, ...(manifest.details.file ?? {}) });
  await engine.putArchive(container.id, posix.dirname(path), singleFileTar(entry, contentStream(record.artifactPath!, manifest)));
  const aof = manifest.details.redisAof ?? null;
  if (aof === null) return `copied ${manifest.contentSize} bytes to ${path} in ${container.name}`;
  // appendonly on: Redis loads the AOF, not the RDB; the RDB goes in as the AOF too (redis-aof.ts).
  const owner = { mode: entry.mode ?? 0o644, uid: entry.uid ?? 0, gid: entry.gid ?? 0 };
  await engine.putArchive(container.id, aofExtractDirectory(aof), aofRestoreTar(aof, contentStream(record.artifactPath!, manifest), manifest.contentSize, owner));
  return `copied ${manifest.contentSize} bytes to ${path} and, as appendonly is on, as the append-only file in ${aof.directory}, in ${container.name}`;
}

async function restoreVolume({ engine, project, definition, record }: RestoreContext): Promise<string> {
  const volumeName = record.manifest.details.volume ?? definition.volume!.name;
  const image = definition.helperImage ?? record.manifest.image!;
  const emptied = await engine.runThrowaway({
    image,
    entrypoint: ['sh', '-c', `rm -rf ${VOLUME_MOUNT}/..?* ${VOLUME_MOUNT}/.[!.]* ${VOLUME_MOUNT}/*`],
    command: [],
    user: '0',
    binds: [`${volumeName}:${VOLUME_MOUNT}`],
    labels: helperLabels(project.name),
  });
  if (emptied.exitCode !== 0) throw new Error(`emptying volume ${volumeName} failed: ${lastLines(emptied.stderr)}`);
  await withVolumeHelper(engine, { image, volumeName, projectName: project.name, readOnly: false }, (helperId) =>
    engine.putArchive(helperId, '/', contentStream(record.artifactPath!, record.manifest)),
  );
  return `replaced the contents of volume ${volumeName}`;
}

async function restoreFiles({ engine, project, definition, record }: RestoreContext): Promise<string> {
  const container = await anyContainer(engine, project.name, definition.service);
  await engine.putArchive(container.id, '/', contentStream(record.artifactPath!, record.manifest));
  return `copied ${(record.manifest.details.paths ?? []).join(', ')} into ${container.name}`;
}

async function anyContainer(engine: BackupEngine, projectName: string, service: string): Promise<ServiceContainer> {
  const [container] = await serviceContainers(engine, projectName, service);
  if (!container) throw new Error(`service "${service}" has no container: apply the project first`);
  return container;
}

/** After a restore: the service answers (redis PING, pg_isready for the postgres preset), else running. */
export async function serviceAnswers(engine: BackupEngine, project: Project, definition: BackupDefinition, timeoutMs: number): Promise<string> {
  const container = await targetContainer(engine, project.name, definition.service, { mustRun: definition.strategy !== 'files' && definition.strategy !== 'volume' });
  const probe = definition.strategy === 'redis' ? ['redis-cli', 'PING'] : definition.preset === 'postgres' ? ['sh', '-c', 'pg_isready -U "${POSTGRES_USER:-postgres}"'] : null;
  if (!probe) return `${container.name} is ${container.running ? 'running' : container.inspect.State.Status}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await engine.exec(container.id, { command: probe });
    if (result.exitCode === 0 && !/LOADING|ERR/.test(result.stdout)) return `${container.name} answers ${probe[0] === 'sh' ? 'pg_isready' : 'PING'}`;
    if (Date.now() > deadline) throw new Error(`${container.name} does not answer after the restore: ${lastLines(result.stderr || result.stdout)}`);
    await delay(200);
  }
}
