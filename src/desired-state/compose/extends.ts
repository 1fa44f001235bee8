import { dirname, isAbsolute, resolve } from 'node:path';
import { mergeService } from './merge.js';
import type { RawComposeFile } from '../schema/compose-file.js';
import type { RawService } from '../schema/service.js';

// `extends`: a service built on another, from the same project or from another file. The base is
// resolved first (it may extend in turn), its relative paths are rebased onto its own file's directory,
// then the extending service is merged over it with Compose's merge rules.

export interface ExtendsProblem {
  service: string;
  /** File in which the failing `extends` is written. */
  file: string;
  message: string;
}

export interface ExtendsContext {
  /** File holding `services` (for a project, its first file: override files resolve like it). */
  file: string;
  services: Record<string, RawService | null>;
  /** Loads and validates another compose file; null (with its problems already reported) when invalid. */
  loadFile: (file: string) => RawComposeFile | null;
}

export function resolveExtends(context: ExtendsContext): {
  services: Record<string, RawService>;
  problems: ExtendsProblem[];
} {
  const problems: ExtendsProblem[] = [];
  const resolved: Record<string, RawService> = {};
  for (const [name, service] of Object.entries(context.services)) {
    const result = resolveService(context.file, context.services, name, service ?? {}, context.loadFile, []);
    if ('problem' in result) problems.push(result.problem);
    else resolved[name] = result.service;
  }
  return { services: resolved, problems };
}

type Resolution = { service: RawService } | { problem: ExtendsProblem };

function resolveService(
  file: string,
  services: Record<string, RawService | null>,
  name: string,
  service: RawService,
  loadFile: ExtendsContext['loadFile'],
  chain: string[],
): Resolution {
  const { extends: reference, ...own } = service;
  if (reference === undefined) return { service: own };
  const baseName = typeof reference === 'string' ? reference : reference.service;
  const baseFile = typeof reference === 'object' && reference.file ? resolve(dirname(file), reference.file) : file;
  const link = `${baseFile}#${baseName}`;
  const here = `${file}#${name}`;
  if (chain.includes(link) || link === here) {
    const members = [...chain, here, link].map((entry) => entry.split('#')[1]).join(' -> ');
    return { problem: { service: name, file, message: `extends forms a cycle: ${members}` } };
  }
  let baseServices = services;
  if (baseFile !== file) {
    const loaded = loadFile(baseFile);
    if (!loaded) return { problem: { service: name, file, message: `cannot extend from ${baseFile}: that file has problems (listed above)` } };
    baseServices = (loaded.services ?? {}) as Record<string, RawService | null>;
  }
  if (!(baseName in baseServices)) {
    const where = baseFile === file ? '' : ` in ${baseFile}`;
    return { problem: { service: name, file, message: `extends service "${baseName}", which is not defined${where}` } };
  }
  const base = resolveService(baseFile, baseServices, baseName, baseServices[baseName] ?? {}, loadFile, [...chain, here]);
  if ('problem' in base) return base;
  const rebased = baseFile === file ? base.service : rebasePaths(base.service, dirname(baseFile));
  return { service: mergeService(rebased as Record<string, unknown>, own as Record<string, unknown>) as RawService };
}

/** Make the relative paths of a service from another file absolute, against that file's directory. */
export function rebasePaths(service: RawService, directory: string): RawService {
  const absolute = (path: string) => (isAbsolute(path) || path.startsWith('~') ? path : resolve(directory, path));
  const copy: RawService = { ...service };
  if (typeof copy.build === 'string') copy.build = absolute(copy.build);
  else if (copy.build) copy.build = { ...copy.build, context: absolute(copy.build.context ?? '.') };
  if (typeof copy.env_file === 'string') copy.env_file = absolute(copy.env_file);
  else if (Array.isArray(copy.env_file)) {
    copy.env_file = copy.env_file.map((entry) =>
      typeof entry === 'string' ? absolute(entry) : { ...entry, path: absolute(entry.path) },
    );
  }
  if (copy.volumes) {
    copy.volumes = copy.volumes.map((volume) => {
      if (typeof volume === 'string') {
        const [source, ...rest] = volume.split(':');
        return rest.length > 0 && source && source.startsWith('.') ? [absolute(source), ...rest].join(':') : volume;
      }
      return volume.type === 'bind' && volume.source ? { ...volume, source: absolute(volume.source) } : volume;
    });
  }
  return copy;
}
