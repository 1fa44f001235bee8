import type { Service } from '../desired-state/model.js';
import { MINIMUM_REDACTED_LENGTH, redactKnownValues } from '../redaction/dotenv-provenance.js';
import { isSecretLookingKey, type Redactor } from '../redaction/redact.js';
import type { ComparableContainer } from './comparable.js';

// No secret value in a drift report. Both sides are redacted before they are compared, so secrets are
// compared by marker (the marker changes when the value does) and the patch never holds a value: env
// values of secret-looking keys, of keys set from an env_file, and values that came from the project's
// `.env` (valuesFromDotenv); labels of secret-looking keys; credentials inside URLs anywhere. A last pass
// (`scrubSecrets`) replaces any secret value that still shows up elsewhere (in a command line, say).

export interface DriftRedaction {
  redactor: Redactor;
  /** Env keys whose values are secret whatever their name. */
  secretKeys: ReadonlySet<string>;
}

/** Keys from an env_file, and keys whose value is one the project's `.env` defines. */
export function secretKeysOf(service: Service, dotenvValues: ReadonlySet<string>): Set<string> {
  const keys = new Set(service.environmentFromFiles);
  for (const [key, value] of Object.entries(service.environment)) {
    if (value !== '' && dotenvValues.has(value)) keys.add(key);
  }
  return keys;
}

export function isSecretEnvironmentKey(key: string, redaction: DriftRedaction): boolean {
  return redaction.secretKeys.has(key) || isSecretLookingKey(key);
}

export function redactComparable(container: ComparableContainer, redaction: DriftRedaction): ComparableContainer {
  const { redactor } = redaction;
  const redacted = redactStrings(container, redactor) as ComparableContainer;
  redacted.environment = Object.fromEntries(
    Object.entries(container.environment).map(([key, value]) => [
      key,
      redactor.environmentValue(key, value, { forceSecret: redaction.secretKeys.has(key) }),
    ]),
  );
  redacted.labels = Object.fromEntries(Object.entries(container.labels).map(([key, value]) => [key, redactor.environmentValue(key, value)]));
  return redacted;
}

/** Secret env values of a container (before redaction), for `scrubSecrets`. */
export function secretValuesOf(container: ComparableContainer, redaction: DriftRedaction): string[] {
  return Object.entries(container.environment)
    .filter(([key, value]) => value.length >= MINIMUM_REDACTED_LENGTH && isSecretEnvironmentKey(key, redaction))
    .map(([, value]) => value);
}

/** A deep copy with every occurrence of a secret value in any string replaced by its marker. */
export function scrubSecrets<T>(value: T, secrets: Iterable<string>, redactor: Redactor): T {
  const known = new Set([...secrets].filter((secret) => secret.length >= MINIMUM_REDACTED_LENGTH));
  if (known.size === 0) return value;
  // Markers already in place are kept whole: a short secret could match inside their hex digits.
  const scrub = (text: string) =>
    text
      .split(MARKER)
      .map((part, index) => (index % 2 === 1 ? part : redactKnownValues(part, known, redactor)))
      .join('');
  return mapStrings(value, scrub) as T;
}

const MARKER = /(<redacted:[0-9a-f]{8}>)/;

/** Credentials inside URLs, in every string of the container. */
function redactStrings(value: unknown, redactor: Redactor): unknown {
  return mapStrings(value, (text) => redactor.text(text));
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [map(key), mapStrings(entry, map)]));
  }
  return value;
}
