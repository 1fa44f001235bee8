import type { Service } from '../desired-state/model.js';
import type { Redactor } from './redact.js';
import { serviceSecrets } from './secret-fields.js';

// Container output quoted as evidence (a healthcheck's last output in a rollback message) is not composelet's
// own text: a healthcheck may print a connection string or a password it was given. Where the values are
// known (the service's secret environment values), each occurrence is replaced by its marker; credentials in
// URLs are redacted as everywhere else. Values shorter than 4 characters are left alone (they would mangle
// ordinary words and say little).

export function redactEvidence(text: string, service: Pick<Service, 'environment' | 'environmentFromFiles' | 'fromDotenv'>, redactor: Redactor): string {
  const secrets = serviceSecrets(service);
  const values = Object.entries(service.environment)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length >= 4 && secrets.environment(entry[0]))
    .map(([, value]) => value)
    .sort((left, right) => right.length - left.length);
  let redacted = text;
  for (const value of values) redacted = redacted.split(value).join(redactor.marker(value));
  return redactor.text(redacted);
}
