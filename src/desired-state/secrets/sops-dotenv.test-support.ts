import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// A SOPS dotenv encoder for tests, written from getsops/sops (aes/cipher.go Encrypt, stores/dotenv
// EmitPlainFile, cmd/sops/common MAC): the data key is testdata/sops-data-key.test-only.hex, and its age
// stanza testdata/sops-data-key.age was made by Debian's age for testdata/test-only.agekey. The decrypter
// is checked against real sops output elsewhere (testdata/real-sops); this lets tests make variants.

export const TESTDATA = join(import.meta.dirname, 'testdata');
export const TEST_ONLY_AGE_KEY = readFileSync(join(TESTDATA, 'test-only.agekey'), 'utf8');
const DATA_KEY = Buffer.from(readFileSync(join(TESTDATA, 'sops-data-key.test-only.hex'), 'utf8').trim(), 'hex');
const DATA_KEY_STANZA = readFileSync(join(TESTDATA, 'sops-data-key.age'), 'utf8');

export function sealSopsValue(plaintext: string, additionalData: string, type = 'str'): string {
  if (plaintext === '') return '';
  const iv = randomBytes(32);
  const cipher = createCipheriv('aes-256-gcm', DATA_KEY, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(additionalData));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${cipher.getAuthTag().toString('base64')},type:${type}]`;
}

/** A SOPS dotenv file of `entries`, as `sops encrypt --age <test-only recipient>` writes it. */
export function encryptSopsDotenv(entries: ReadonlyArray<readonly [string, string]>, options: { unencryptedSuffix?: string } = {}): string {
  const suffix = options.unencryptedSuffix ?? '_unencrypted';
  const lastModified = '2026-01-02T03:04:05Z';
  const mac = createHash('sha512');
  const lines = entries.map(([key, value]) => {
    mac.update(value);
    const stored = key.endsWith(suffix) ? value : sealSopsValue(value, `${key}:`);
    return `${key}=${stored.replaceAll('\n', '\\n')}`;
  });
  const metadata: Array<[string, string]> = [
    ['sops_age__list_0__map_enc', DATA_KEY_STANZA],
    ['sops_age__list_0__map_recipient', 'age1-test-only'],
    ['sops_lastmodified', lastModified],
    ['sops_mac', sealSopsValue(mac.digest('hex').toUpperCase(), lastModified)],
    ['sops_unencrypted_suffix', suffix],
    ['sops_version', '3.9.0'],
  ];
  return [...lines, ...metadata.map(([key, value]) => `${key}=${value.replaceAll('\n', '\\n')}`)].join('\n') + '\n';
}
