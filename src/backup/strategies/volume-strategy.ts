import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { BackupEngine } from '../backup-engine.js';
import { startContainers, stopServices } from '../service-containers.js';
import { helperLabels, type StrategyContext, type StrategyOutcome } from './strategy.js';

// volume: a tar of a named volume, read through a container that is created with the volume mounted
// read-only and never started (the engine mounts volumes for archive calls), so it needs no shell or tar
// in any image. With stop_service the service is stopped during the copy, and what was running is
// started again in a `finally`, whatever happened.

export const VOLUME_MOUNT = '/volume';

export async function volumeBackup(context: StrategyContext): Promise<StrategyOutcome> {
  const { definition, engine, project } = context;
  const volume = definition.volume!;
  const stopped = definition.stopService ? await stopServices(engine, { project, services: [definition.service] }) : [];
  try {
    await withVolumeHelper(engine, { image: context.image, volumeName: volume.name, projectName: project.name, readOnly: true }, async (helperId) => {
      await pipeline(await engine.getArchive(helperId, VOLUME_MOUNT), context.sink, { signal: context.signal });
    });
  } finally {
    await startContainers(engine, stopped);
  }
  return { exitStatus: 0, details: { volume: volume.name } };
}

/** A never-started container with the volume at /volume, removed afterwards. */
export async function withVolumeHelper<T>(engine: BackupEngine, options: { image: string; volumeName: string; projectName: string; readOnly: boolean }, work: (helperId: string) => Promise<T>): Promise<T> {
  const name = `${options.projectName}-backup-helper-${randomBytes(4).toString('hex')}`;
  const { Id } = await engine.createContainer(name, {
    Image: options.image,
    Entrypoint: ['/volume-helper-is-never-started'],
    Cmd: [],
    Labels: helperLabels(options.projectName),
    HostConfig: { NetworkMode: 'none', Binds: [`${options.volumeName}:${VOLUME_MOUNT}${options.readOnly ? ':ro' : ''}`] },
  });
  try {
    return await work(Id);
  } finally {
    await engine.removeContainer(Id, { force: true, removeVolumes: false }).catch(() => undefined);
  }
}
