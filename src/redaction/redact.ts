import { createHmac } from 'node:crypto';

// No secret value leaves composelet. A value is replaced by a marker that shows neither the value nor its
// length but still changes when the value changes: `<redacted:1a2b3c4d>`, an HMAC-SHA-256 prefix keyed with
// COMPOSELET_REDACTION_KEY (a fixed default when unset, so markers are stable across runs on a host; set
// the key to make markers useless for guessing short values).

const SECRET_KEY_PATTERN = /(PASSWORD|PASSWD|PASS$|SECRET|TOKEN|(^|_)KEY($|_)|APIKEY|API_KEY|CREDENTIAL|PRIVATE|AUTH|CERT|DSN|SALT)/i;
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*):([^/@\s]*)@/gi;

export interface Redactor {
  marker(value: string): string;
  /** Redacts a value if its key looks secret, else only credentials embedded in URLs. */
  environmentValue(key: string, value: string, options?: { forceSecret?: boolean }): string;
  /** Credentials inside URLs (`postgres://user:pass@host`) in free text. */
  text(value: string): string;
}

export function isSecretLookingKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

export function createRedactor(options: { key?: string } = {}): Redactor {
  const key = options.key ?? process.env.COMPOSELET_REDACTION_KEY ?? 'composelet-redaction-v1';
  const marker = (value: string) => `<redacted:${createHmac('sha256', key).update(value).digest('hex').slice(0, 8)}>`;
  const text = (value: string) => value.replace(URL_CREDENTIALS, (_match, scheme: string, user: string, password: string) => `${scheme}${user}:${marker(password)}@`);
  return {
    marker,
    text,
    environmentValue(name, value, valueOptions = {}) {
      if (valueOptions.forceSecret || isSecretLookingKey(name)) return marker(value);
      return text(value);
    },
  };
}
