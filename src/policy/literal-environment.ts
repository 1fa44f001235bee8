import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Project } from '../desired-state/model.js';
import { rawDocumentOf } from '../desired-state/raw-documents.js';
import { parseYamlSource } from '../desired-state/yaml/yaml-source.js';

// Which environment values are written literally in the compose files, for `no-secret-literals`. The
// model holds values after interpolation, so it cannot tell `DB_PASSWORD: hunter2` from
// `DB_PASSWORD: ${DB_PASSWORD}`; this takes the files as the loader parsed them, before interpolating
// (reading them again only for a project the loader did not make), and follows the
// loader's order: files merged in order (a later file's value wins), then `extends` (the service's own
// value wins over its base's). A value is literal when it has no `$` reference (`$$` is an escaped `$`),
// or when a reference carries a literal default (`${DB_PASSWORD:-hunter2}`). Empty values and list
// entries without `=` (taken from the environment) are not literal.

/** Service name -> environment keys written literally (sorted). */
export type LiteralEnvironment = Record<string, string[]>;

type RawValue = string | number | boolean | null;

interface RawService {
  environment: Map<string, RawValue>;
  extends: { service: string; file: string | null } | null;
}

const REFERENCE_WITH_DEFAULT = /\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g;

export function isLiteralValue(value: RawValue): boolean {
  if (value === null) return false;
  if (typeof value !== 'string') return true;
  if (value === '') return false;
  const unescaped = value.replaceAll('$$', '');
  if (!unescaped.includes('$')) return true;
  for (const match of unescaped.matchAll(REFERENCE_WITH_DEFAULT)) {
    const fallback = match[1] ?? '';
    if (fallback !== '' && !fallback.includes('$')) return true;
  }
  return false;
}

/** null when a file cannot be read or parsed again (changed since loading): callers fall back. */
export function readLiteralEnvironment(project: Project): LiteralEnvironment | null {
  const documents = new Map<string, Record<string, RawService> | null>();
  const servicesOf = (file: string) => {
    if (!documents.has(file)) {
      const loaded = rawDocumentOf(project, file);
      documents.set(file, loaded === undefined ? readServices(file) : servicesIn(loaded));
    }
    return documents.get(file) ?? null;
  };
  const perFile = project.configFiles.map(servicesOf);
  if (perFile.some((services) => services === null)) return null;
  const merged = mergeFiles(perFile as Array<Record<string, RawService>>);
  const first = project.configFiles[0];
  if (first === undefined) return null;

  const result: LiteralEnvironment = {};
  for (const service of Object.values(project.services)) {
    const raw = resolveEnvironment(first, merged, service.name, servicesOf, []);
    result[service.name] = Object.keys(service.environment)
      .filter((key) => raw.has(key) && isLiteralValue(raw.get(key) ?? null))
      .sort();
  }
  return result;
}

function readServices(file: string): Record<string, RawService> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const { source, issues } = parseYamlSource(file, text);
  return issues.length > 0 ? null : servicesIn(source.value);
}

function servicesIn(document: unknown): Record<string, RawService> | null {
  if (!isRecord(document)) return null;
  const services = document.services;
  const result: Record<string, RawService> = {};
  if (!isRecord(services)) return result;
  for (const [name, service] of Object.entries(services)) {
    if (!isRecord(service)) continue;
    result[name] = { environment: environmentEntries(service.environment), extends: extendsOf(service.extends) };
  }
  return result;
}

function mergeFiles(files: Array<Record<string, RawService>>): Record<string, RawService> {
  const merged: Record<string, RawService> = {};
  for (const services of files) {
    for (const [name, service] of Object.entries(services)) {
      const base = merged[name];
      merged[name] = base
        ? { environment: new Map([...base.environment, ...service.environment]), extends: service.extends ?? base.extends }
        : service;
    }
  }
  return merged;
}

function resolveEnvironment(
  file: string,
  services: Record<string, RawService>,
  name: string,
  servicesOf: (file: string) => Record<string, RawService> | null,
  chain: string[],
): Map<string, RawValue> {
  const service = services[name];
  const link = `${file}#${name}`;
  if (!service || chain.includes(link)) return new Map();
  if (service.extends === null) return service.environment;
  const baseFile = service.extends.file === null ? file : resolve(dirname(file), service.extends.file);
  const baseServices = baseFile === file ? services : (servicesOf(baseFile) ?? {});
  const base = resolveEnvironment(baseFile, baseServices, service.extends.service, servicesOf, [...chain, link]);
  return new Map([...base, ...service.environment]);
}

function environmentEntries(environment: unknown): Map<string, RawValue> {
  const entries = new Map<string, RawValue>();
  if (Array.isArray(environment)) {
    for (const entry of environment) {
      if (typeof entry !== 'string') continue;
      const index = entry.indexOf('=');
      if (index < 0) entries.set(entry, null);
      else entries.set(entry.slice(0, index), entry.slice(index + 1));
    }
  } else if (isRecord(environment)) {
    for (const [key, value] of Object.entries(environment)) {
      entries.set(key, typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null);
    }
  }
  return entries;
}

function extendsOf(value: unknown): RawService['extends'] {
  if (typeof value === 'string') return { service: value, file: null };
  if (isRecord(value) && typeof value.service === 'string') {
    return { service: value.service, file: typeof value.file === 'string' ? value.file : null };
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
