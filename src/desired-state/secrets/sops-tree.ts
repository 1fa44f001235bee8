import { createDecipheriv, createHash } from 'node:crypto';
import type { AgeIdentity } from './age-identity.js';
import { AgeDecryptError, decryptAge } from './age-decrypt.js';

// SOPS's decryption of a tree of values, whatever the file format (getsops/sops: sops.go Tree.Decrypt,
// aes/cipher.go, age/keysource.go, cmd/sops/common): the data key is the plaintext of one of the age
// stanzas (`sops.age[N].enc`); each value is `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`, sealed with the
// data key and its key path joined by ':' plus a trailing ':' as additional data; the MAC is the
// upper-case hex SHA-512 of every value's plaintext in file order (only the encrypted ones, after a fixed
// prefix, with mac_only_encrypted), itself sealed with the data key and `lastmodified` as additional data.
// Values whose keys the suffix and regex rules leave unencrypted are taken as written.

export class SopsDecryptError extends Error {}

export interface SopsLeaf {
  path: readonly string[];
  value: string;
}

export interface SopsMetadata {
  /** The `enc` of each age recipient: an armored age file holding the data key. */
  ageEncryptedKeys: string[];
  mac: string;
  lastModified: string;
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: string;
  encryptedRegex?: string;
  macOnlyEncrypted?: boolean;
}

const ENCRYPTED_VALUE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
const MAC_ONLY_ENCRYPTED_INITIALIZATION = Buffer.from(
  '8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69',
  'hex',
);

/** The leaves' plaintext values, in order; throws SopsDecryptError naming the key, never a value. */
export function decryptSopsTree(leaves: readonly SopsLeaf[], metadata: SopsMetadata, identities: readonly AgeIdentity[]): string[] {
  const dataKey = dataKeyOf(metadata, identities);
  const hash = createHash('sha512');
  if (metadata.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INITIALIZATION);
  const values = leaves.map((leaf) => {
    const encrypted = shouldBeEncrypted(leaf.path, metadata);
    const value = encrypted ? decryptValue(leaf.value, dataKey, `${leaf.path.join(':')}:`, leaf.path.join('.')) : { text: leaf.value, macBytes: Buffer.from(leaf.value, 'utf8') };
    if (!metadata.macOnlyEncrypted || encrypted) hash.update(value.macBytes);
    return value.text;
  });
  if (metadata.mac === '') throw new SopsDecryptError('the file has no MAC (sops_mac): it was not written by sops or was altered');
  const mac = decryptValue(metadata.mac, dataKey, metadata.lastModified, 'sops_mac').text;
  if (mac !== hash.digest('hex').toUpperCase()) throw new SopsDecryptError('MAC mismatch: the file was altered after sops encrypted it');
  return values;
}

function dataKeyOf(metadata: SopsMetadata, identities: readonly AgeIdentity[]): Buffer {
  if (metadata.ageEncryptedKeys.length === 0) throw new SopsDecryptError('no age recipient in the file (only age is supported, not PGP or a KMS)');
  let lastError = 'no identity matched';
  for (const armored of metadata.ageEncryptedKeys) {
    try {
      const key = decryptAge(Buffer.from(armored, 'latin1'), identities);
      if (key.length !== 32) throw new SopsDecryptError('the data key is not 32 bytes');
      return key;
    } catch (error) {
      if (!(error instanceof AgeDecryptError)) throw error;
      lastError = error.message;
    }
  }
  throw new SopsDecryptError(lastError.startsWith('no identity matched') ? 'no identity matched (the file is not encrypted to any key in the key file)' : lastError);
}

function shouldBeEncrypted(path: readonly string[], metadata: SopsMetadata): boolean {
  let encrypted = true;
  if (metadata.unencryptedSuffix) encrypted = !path.some((key) => key.endsWith(metadata.unencryptedSuffix!));
  if (metadata.encryptedSuffix) encrypted = path.some((key) => key.endsWith(metadata.encryptedSuffix!));
  if (metadata.unencryptedRegex && path.some((key) => new RegExp(metadata.unencryptedRegex!).test(key))) encrypted = false;
  if (metadata.encryptedRegex) encrypted = path.some((key) => new RegExp(metadata.encryptedRegex!).test(key));
  return encrypted;
}

function decryptValue(value: string, dataKey: Buffer, additionalData: string, where: string): { text: string; macBytes: Buffer } {
  // sops writes an empty value as it is: there is nothing to seal.
  if (value === '') return { text: '', macBytes: Buffer.alloc(0) };
  const match = ENCRYPTED_VALUE.exec(value);
  if (!match) throw new SopsDecryptError(`${where}: not encrypted though the file's rules say it must be`);
  const [, data, iv, tag, type] = match as unknown as [string, string, string, string, string];
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(iv, 'base64'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(additionalData, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
  } catch {
    throw new SopsDecryptError(`${where}: value does not authenticate (altered, or moved to another key)`);
  }
  const text = plaintext.toString('utf8');
  // The MAC hashes sops's own rendering of typed values (ToBytes): booleans as True/False.
  if (type === 'bool') return { text, macBytes: Buffer.from(/^(1|t|true)$/i.test(text) ? 'True' : 'False') };
  return { text, macBytes: plaintext };
}
