import { isAbsolute, resolve } from 'node:path';
import { sortRecord } from '../canonical-json.js';
import type { FileObject, Network, Service, Volume } from '../model.js';
import { listOrDictToMap, toBoolean } from '../schema/building-blocks.js';
import type { RawComposeFile } from '../schema/compose-file.js';
import type { VariableLookup } from '../env/interpolate.js';

// The project's named resources in canonical form. Engine names follow Compose v2: `<project>_<key>`,
// or the `name:` written in the manifest; external resources keep their own name.

type RawResources<Key extends 'networks' | 'volumes' | 'secrets' | 'configs'> = NonNullable<RawComposeFile[Key]>;

function stringMap(value: Record<string, string | number> | undefined): Record<string, string> {
  return sortRecord(Object.fromEntries(Object.entries(value ?? {}).map(([key, entry]) => [key, String(entry)])));
}

function labels(value: Parameters<typeof listOrDictToMap>[0]): Record<string, string> {
  return sortRecord(Object.fromEntries(Object.entries(listOrDictToMap(value)).map(([key, entry]) => [key, entry ?? ''])));
}

function externalOf(value: boolean | string | { name?: string } | undefined): { external: boolean; name?: string } {
  if (value === undefined) return { external: false };
  if (typeof value === 'object') return { external: true, ...(value.name ? { name: value.name } : {}) };
  return { external: toBoolean(value) ?? false };
}

export function normalizeNetworks(
  projectName: string,
  raw: RawResources<'networks'> | null | undefined,
  services: Service[],
): Record<string, Network> {
  const networks: Record<string, Network> = {};
  const entries = Object.entries(raw ?? {});
  const usesDefault = services.some((service) => 'default' in service.networks);
  if (usesDefault && !entries.some(([key]) => key === 'default')) entries.push(['default', null]);
  for (const [key, definition] of entries) {
    const external = externalOf(definition?.external);
    networks[key] = {
      key,
      name: definition?.name ?? external.name ?? (external.external ? key : `${projectName}_${key}`),
      external: external.external,
      driver: definition?.driver ?? null,
      driverOpts: stringMap(definition?.driver_opts),
      internal: toBoolean(definition?.internal) ?? false,
      attachable: toBoolean(definition?.attachable) ?? false,
      enableIpv6: toBoolean(definition?.enable_ipv6) ?? false,
      ipam: definition?.ipam
        ? {
            driver: definition.ipam.driver ?? null,
            config: (definition.ipam.config ?? []).map((block) =>
              sortRecord(
                Object.fromEntries(
                  Object.entries(block).filter(([key, value]) => !key.startsWith('x-') && typeof value === 'string'),
                ) as Record<string, string>,
              ),
            ),
          }
        : null,
      labels: labels(definition?.labels),
    };
  }
  return sortRecord(networks);
}

export function normalizeVolumes(projectName: string, raw: RawResources<'volumes'> | null | undefined): Record<string, Volume> {
  const volumes: Record<string, Volume> = {};
  for (const [key, definition] of Object.entries(raw ?? {})) {
    const external = externalOf(definition?.external);
    volumes[key] = {
      key,
      name: definition?.name ?? external.name ?? (external.external ? key : `${projectName}_${key}`),
      external: external.external,
      driver: definition?.driver ?? null,
      driverOpts: stringMap(definition?.driver_opts),
      labels: labels(definition?.labels),
    };
  }
  return sortRecord(volumes);
}

/**
 * Secrets and configs. What goes into the container for `environment` and `content` sources is resolved
 * here, at load time, into `value` (the variable through `lookup`, as Compose reads it from the project
 * environment; null when it is unset, which semantic-checks reports for the services that use it).
 */
export function normalizeFileObjects(
  projectName: string,
  raw: RawResources<'secrets'> | RawResources<'configs'> | null | undefined,
  workingDir: string,
  lookup: VariableLookup,
): Record<string, FileObject> {
  const objects: Record<string, FileObject> = {};
  for (const [key, definition] of Object.entries(raw ?? {})) {
    const file = definition?.file;
    const environment = definition?.environment ?? null;
    const content = definition && 'content' in definition && typeof definition.content === 'string' ? definition.content : null;
    objects[key] = {
      key,
      name: definition?.name ?? `${projectName}_${key}`,
      file: file === undefined ? null : isAbsolute(file) ? file : resolve(workingDir, file),
      environment,
      content,
      value: environment !== null ? (lookup(environment) ?? null) : content,
    };
  }
  return sortRecord(objects);
}
