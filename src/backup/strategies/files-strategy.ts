import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Headers } from 'tar-stream';
import { startContainers, stopServices } from '../service-containers.js';
import { forEachTarEntry } from '../tar/tar-read.js';
import { tarArchive } from '../tar/tar-write.js';
import type { StrategyContext, StrategyOutcome } from './strategy.js';

// files: paths inside the container, copied out through the archive API. The engine names each copy's
// entries after the path's last component; they are renamed to the full path (without the leading /)
// and merged into one archive, so a restore is one copy into / of the container.

export async function filesBackup(context: StrategyContext): Promise<StrategyOutcome> {
  const { definition, engine, project } = context;
  const container = context.container!;
  const stopped = definition.stopService ? await stopServices(engine, { project, services: [definition.service] }) : [];
  try {
    const merged = tarArchive(async (add) => {
      for (const path of definition.paths) {
        const parent = posix.dirname(posix.normalize(path)).replace(/^\/+/, '');
        const rename = (name: string) => (parent === '' ? name : `${parent}/${name}`);
        await forEachTarEntry(await engine.getArchive(container.id, path), (header, content) => add(renamedHeader(header, rename), content), { signal: context.signal });
      }
    });
    await pipeline(merged, context.sink, { signal: context.signal });
  } finally {
    await startContainers(engine, stopped);
  }
  return { exitStatus: 0, details: { paths: definition.paths } };
}

/** The entry under its new name; a hard link's target is renamed too, and the PAX records' own path and
 * linkpath are left out (tar-stream writes the new names there when they do not fit ustar). */
export function renamedHeader(header: Headers, rename: (name: string) => string): Headers {
  const { path: _path, linkpath: _linkpath, ...pax } = header.pax ?? {};
  return {
    ...header,
    name: rename(header.name),
    linkname: header.type === 'link' && header.linkname ? rename(header.linkname) : header.linkname,
    pax: Object.keys(pax).length > 0 ? pax : null,
  };
}
