import type { Service } from '../../desired-state/model.js';
import type { Redactor } from '../../redaction/redact.js';
import { isSecretLookingKey } from '../../redaction/redact.js';
import { redactMap, redactWords, serviceSecrets, type ServiceSecrets } from '../../redaction/secret-fields.js';
import type { ComparableContainer } from './comparable.js';

// No secret value in a drift report. Both sides are redacted field by field before they are compared, so
// secrets are compared by marker (the marker changes when the value does) and the patch never holds a
// value: env values and labels that are secret by key or by provenance (the desired service's env_file
// and `.env` keys), command words holding a `.env` value, secret-looking `--flag=value` words, log
// options of secret-looking keys, and credentials inside URLs in those values. Nothing else is touched.

export interface DriftRedaction {
  redactor: Redactor;
  /** Which fields are secret, from the desired service. */
  secrets: ServiceSecrets;
  /** The desired service's secret values: a live word (command, entrypoint, healthcheck) that holds one is
   * secret as a whole (a container made by hand may carry a password anywhere). */
  secretValues?: readonly string[];
}

/** Shorter values would mark ordinary words ("true", "8000") as secret. */
const MIN_SECRET_LENGTH = 6;

export function driftRedactionOf(service: Service, redactor: Redactor): DriftRedaction {
  const secrets = serviceSecrets(service);
  const secretValues = Object.entries(service.environment)
    .filter(([key]) => secrets.environment(key))
    .map(([, value]) => value)
    .filter((value) => value.length >= MIN_SECRET_LENGTH);
  return { redactor, secrets, secretValues };
}

/** Words holding a known secret value, by index: the whole word is the secret field. */
function wordsHoldingSecrets(words: readonly string[], secretValues: readonly string[], marked: ReadonlySet<number>): ReadonlySet<number> {
  if (secretValues.length === 0) return marked;
  const indices = new Set(marked);
  words.forEach((word, index) => {
    if (secretValues.some((value) => word.includes(value))) indices.add(index);
  });
  return indices;
}

const NO_WORDS: ReadonlySet<number> = new Set();

export function redactComparable(container: ComparableContainer, redaction: DriftRedaction): ComparableContainer {
  const { redactor, secrets } = redaction;
  const holding = (words: readonly string[], marked: ReadonlySet<number>) => wordsHoldingSecrets(words, redaction.secretValues ?? [], marked);
  const redacted: ComparableContainer = {
    ...container,
    environment: redactMap(container.environment, secrets.environment, redactor),
    labels: redactMap(container.labels, secrets.label, redactor),
    command: container.command === null ? null : redactWords(container.command, holding(container.command, secrets.commandWords), redactor),
    entrypoint: container.entrypoint === null ? null : redactWords(container.entrypoint, holding(container.entrypoint, secrets.entrypointWords), redactor),
    healthcheck:
      container.healthcheck === null ? null : { ...container.healthcheck, test: redactWords(container.healthcheck.test, holding(container.healthcheck.test, NO_WORDS), redactor) },
  };
  if (container.logging) redacted.logging = { ...container.logging, options: redactMap(container.logging.options, isSecretLookingKey, redactor) };
  return redacted;
}
