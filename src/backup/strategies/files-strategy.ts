import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { startContainers, stopServices } from '../service-containers.js';
import { END_OF_ARCHIVE } from '../tar/tar-format.js';
import { TarParser } from '../tar/tar-parser.js';
import { TarRenamer } from '../tar/tar-writer.js';
import type { StrategyContext, StrategyOutcome } from './strategy.js';

// files: paths inside the container, copied out through the archive API. The engine names each copy's
// entries after the path's last component; they are renamed to the full path (without the leading /)
// and merged into one archive, so a restore is one copy into / of the container.

export async function filesBackup(context: StrategyContext): Promise<StrategyOutcome> {
  const { definition, engine, project } = context;
  const container = context.container!;
  const stopped = definition.stopService ? await stopServices(engine, { project, services: [definition.service] }) : [];
  try {
    for (const path of definition.paths) {
      const parent = posix.dirname(posix.normalize(path)).replace(/^\/+/, '');
      const rename = (name: string) => (parent === '' ? name : `${parent}/${name}`);
      await pipeline(await engine.getArchive(container.id, path), new TarParser(), new TarRenamer(rename), context.sink, { end: false, signal: context.signal });
    }
    context.sink.end(END_OF_ARCHIVE);
  } finally {
    await startContainers(engine, stopped);
  }
  return { exitStatus: 0, details: { paths: definition.paths } };
}
