import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { decodeBech32 } from './bech32.js';

// An age key file (`age-keygen` writes one): `# comment` lines, blank lines, and one X25519 identity
// (`AGE-SECRET-KEY-1…`) per line. Problems name the line, never its text: the text is key material.

export interface AgeIdentity {
  privateKey: KeyObject;
  /** The 32-byte X25519 public key (what `age1…` encodes): part of the key derivation. */
  publicKey: Buffer;
}

export type IdentitiesResult = { ok: true; identities: AgeIdentity[] } | { ok: false; message: string };

const IDENTITY_PREFIX = 'age-secret-key-';
/** PKCS#8 DER of an X25519 private key, before its 32 bytes. */
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
/** SPKI DER of an X25519 public key, before its 32 bytes. */
export const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export function x25519PrivateKey(scalar: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, scalar]), format: 'der', type: 'pkcs8' });
}

export function x25519PublicKey(point: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, point]), format: 'der', type: 'spki' });
}

export function parseAgeIdentities(text: string): IdentitiesResult {
  const identities: AgeIdentity[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const decoded = decodeBech32(line);
    if (!decoded || decoded.prefix !== IDENTITY_PREFIX || decoded.data.length !== 32) {
      return { ok: false, message: `line ${index + 1} is not an age X25519 identity (expected AGE-SECRET-KEY-1…; plugin and passphrase identities are not supported)` };
    }
    const privateKey = x25519PrivateKey(decoded.data);
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    identities.push({ privateKey, publicKey: Buffer.from(spki.subarray(SPKI_X25519_PREFIX.length)) });
  }
  if (identities.length === 0) return { ok: false, message: 'holds no identity (expected a line AGE-SECRET-KEY-1…)' };
  return { ok: true, identities };
}
