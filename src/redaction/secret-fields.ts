import type { Service } from '../desired-state/model.js';
import { isSecretLookingKey, type Redactor } from './redact.js';

// Which fields of a service hold secrets, from what the model knows: the key looks secret, the value
// came from an env_file or from `.env` (Service.fromDotenv). Redaction replaces the values of those
// fields where they sit; it never searches text for values, so names, images, paths, numbers and
// booleans are never altered.

export interface ServiceSecrets {
  environment(key: string): boolean;
  buildArg(key: string): boolean;
  label(key: string): boolean;
  hookEnvironment(key: string): boolean;
  /** Indices of command / entrypoint words that hold a `.env` value. */
  commandWords: ReadonlySet<number>;
  entrypointWords: ReadonlySet<number>;
}

export function serviceSecrets(service: Pick<Service, 'environmentFromFiles' | 'fromDotenv'>): ServiceSecrets {
  const fromFiles = new Set(service.environmentFromFiles);
  const fromDotenv = service.fromDotenv;
  const environment = new Set(fromDotenv?.environment ?? []);
  const buildArgs = new Set(fromDotenv?.buildArgs ?? []);
  const labels = new Set(fromDotenv?.labels ?? []);
  const hookEnvironment = new Set(fromDotenv?.hookEnvironment ?? []);
  return {
    environment: (key) => isSecretLookingKey(key) || fromFiles.has(key) || environment.has(key),
    buildArg: (key) => isSecretLookingKey(key) || buildArgs.has(key),
    label: (key) => isSecretLookingKey(key) || labels.has(key),
    // A hook's environment is secret where the key looks secret or came from .env, and where it sets a key
    // the service's own environment holds as secret.
    hookEnvironment: (key) => isSecretLookingKey(key) || hookEnvironment.has(key) || fromFiles.has(key) || environment.has(key),
    commandWords: new Set(fromDotenv?.command ?? []),
    entrypointWords: new Set(fromDotenv?.entrypoint ?? []),
  };
}

/** For services of no known provenance (a live container, a network): only the key decides. */
export const KEY_ONLY: ServiceSecrets = serviceSecrets({ environmentFromFiles: [] });

/** Each value replaced by its marker when `isSecret(key)`, else only URL credentials inside it. */
export function redactMap<T extends string | null>(values: Record<string, T>, isSecret: (key: string) => boolean, redactor: Redactor): Record<string, T> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, value === null ? value : redactor.environmentValue(key, value, { forceSecret: isSecret(key) })]),
  ) as Record<string, T>;
}

/** `KEY=value` entries (the engine's Env): the key stays, a secret value becomes its marker. */
export function redactKeyValueList(entries: readonly string[], isSecret: (key: string) => boolean, redactor: Redactor): string[] {
  return entries.map((entry) => {
    const index = entry.indexOf('=');
    if (index < 0) return entry;
    const key = entry.slice(0, index);
    return `${key}=${redactor.environmentValue(key, entry.slice(index + 1), { forceSecret: isSecret(key) })}`;
  });
}

/**
 * Command words: a word that holds a `.env` value becomes its marker; `--password=x` and `PGPASSWORD=x`
 * (a secret-looking name before "=") keep the name; URL credentials inside any word are redacted.
 */
export function redactWords(words: readonly string[], secretWords: ReadonlySet<number>, redactor: Redactor): string[] {
  return words.map((word, index) => {
    if (secretWords.has(index)) return redactor.marker(word);
    const assignment = /^(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)=(.+)$/s.exec(word);
    if (assignment && isSecretLookingKey(assignment[1]!.replace(/^-+/, ''))) return `${assignment[1]}=${redactor.marker(assignment[2]!)}`;
    return redactor.text(word);
  });
}
