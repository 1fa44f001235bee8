import type { Service } from '../desired-state/model.js';
import { serviceSecrets } from '../redaction/secret-fields.js';

// A spec kept on disk (previous-specs.ts) never holds a secret value: the fields the field redaction
// treats as secret (secret-looking keys, values from .env, env_file, --secrets-dir or decrypted files) are
// withheld, their paths listed. Going back to that spec fills them from the spec in force now, by the same
// path; a secret the manifests no longer provide makes the rollback refuse, naming it.

export type FieldPath = Array<string | number>;

export interface StoredSpec {
  spec: Service;
  /** Paths into `spec` whose values were not written (they read as ""). */
  withheld: FieldPath[];
}

export function secretPaths(service: Service): FieldPath[] {
  const secrets = serviceSecrets(service);
  const paths: FieldPath[] = [];
  for (const key of Object.keys(service.environment)) if (secrets.environment(key)) paths.push(['environment', key]);
  for (const [key, value] of Object.entries(service.build?.args ?? {})) if (value !== null && secrets.buildArg(key)) paths.push(['build', 'args', key]);
  for (const key of Object.keys(service.labels)) if (secrets.label(key)) paths.push(['labels', key]);
  for (const index of secrets.commandWords) if (service.command && index < service.command.length) paths.push(['command', index]);
  for (const index of secrets.entrypointWords) if (service.entrypoint && index < service.entrypoint.length) paths.push(['entrypoint', index]);
  for (const field of ['postStart', 'preStop'] as const) {
    (service[field] ?? []).forEach((hook, hookIndex) => {
      for (const key of Object.keys(hook.environment)) if (secrets.hookEnvironment(key)) paths.push([field, hookIndex, 'environment', key]);
    });
  }
  return paths;
}

export function withholdSecrets(service: Service): StoredSpec {
  const spec = structuredClone(service);
  const withheld = secretPaths(service);
  for (const path of withheld) setAt(spec, path, '');
  return { spec, withheld };
}

export type Restored = { ok: true; service: Service } | { ok: false; missing: string[] };

/** The stored spec with its withheld values taken from `from` (the service's spec in force now). */
export function restoreSecrets(stored: StoredSpec, from: Service): Restored {
  const service = structuredClone(stored.spec);
  const missing: string[] = [];
  for (const path of stored.withheld) {
    const value = getAt(from, path);
    if (typeof value !== 'string') missing.push(path.join('.'));
    else setAt(service, path, value);
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, service };
}

function getAt(root: unknown, path: FieldPath): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

function setAt(root: unknown, path: FieldPath, value: string): void {
  const parent = getAt(root, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}
