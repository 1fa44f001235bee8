import { createDecipheriv, createHmac, diffieHellman, hkdfSync, timingSafeEqual } from 'node:crypto';
import { x25519PublicKey, type AgeIdentity } from './age-identity.js';

// age v1 decryption (https://age-encryption.org/v1), X25519 recipients, in memory and synchronously, with
// node:crypto's own X25519, HKDF-SHA-256, HMAC-SHA-256 and ChaCha20-Poly1305. The manifest loader is
// synchronous from the CLI to the controller's reconcile, and age-encryption (the reference TypeScript
// implementation) decrypts through Promises only; these are the four primitives it uses. Binary and
// ASCII-armored files are both read. Errors say what failed, never a key, a file key or plaintext.

export class AgeDecryptError extends Error {}

const INTRO = 'age-encryption.org/v1';
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';
const X25519_INFO = 'age-encryption.org/v1/X25519';
const CHUNK_SIZE = 64 * 1024;
const TAG_SIZE = 16;

interface Stanza {
  type: string;
  args: string[];
  body: Buffer;
}

/** Whether `content` looks like an age file (binary or armored): what decides that an env file needs it. */
export function isAgeFile(content: Buffer): boolean {
  const start = content.subarray(0, 64).toString('latin1').trimStart();
  return start.startsWith(`${INTRO}\n`) || start.startsWith(ARMOR_BEGIN);
}

export function decryptAge(content: Buffer, identities: readonly AgeIdentity[]): Buffer {
  const binary = dearmor(content);
  const header = parseHeader(binary);
  const fileKey = unwrapFileKey(header.stanzas, identities);
  const hmacKey = Buffer.from(hkdfSync('sha256', fileKey, Buffer.alloc(0), 'header', 32));
  const mac = createHmac('sha256', hmacKey).update(header.macInput).digest();
  if (header.mac.length !== mac.length || !timingSafeEqual(header.mac, mac)) throw new AgeDecryptError('header MAC mismatch (the file was altered)');
  return decryptPayload(binary.subarray(header.payloadStart), fileKey);
}

function dearmor(content: Buffer): Buffer {
  const text = content.toString('latin1').trim();
  if (!text.startsWith(ARMOR_BEGIN)) return content;
  if (!text.endsWith(ARMOR_END)) throw new AgeDecryptError('armored file without its END line');
  const body = text.slice(ARMOR_BEGIN.length, -ARMOR_END.length).replace(/\r?\n/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new AgeDecryptError('armored file with invalid base64');
  return Buffer.from(body, 'base64');
}

function decodeRawBase64(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]*$/.test(text)) throw new AgeDecryptError(`invalid base64 in the ${what}`);
  return Buffer.from(text, 'base64');
}

function parseHeader(binary: Buffer): { stanzas: Stanza[]; macInput: Buffer; mac: Buffer; payloadStart: number } {
  let offset = 0;
  const nextLine = (): string => {
    const end = binary.indexOf(0x0a, offset);
    if (end < 0) throw new AgeDecryptError('truncated header');
    const line = binary.subarray(offset, end).toString('latin1');
    offset = end + 1;
    return line;
  };
  if (nextLine() !== INTRO) throw new AgeDecryptError(`not an age file (no "${INTRO}" line)`);
  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = offset;
    const line = nextLine();
    if (line.startsWith('---')) {
      if (!line.startsWith('--- ')) throw new AgeDecryptError('malformed header MAC line');
      return {
        stanzas,
        macInput: binary.subarray(0, lineStart + 3),
        mac: decodeRawBase64(line.slice(4), 'header MAC'),
        payloadStart: offset,
      };
    }
    if (!line.startsWith('-> ')) throw new AgeDecryptError('malformed header (expected a stanza or the MAC line)');
    const [type = '', ...args] = line.slice(3).split(' ');
    const bodyLines: string[] = [];
    for (;;) {
      const bodyLine = nextLine();
      bodyLines.push(bodyLine);
      if (bodyLine.length < 64) break;
    }
    stanzas.push({ type, args, body: decodeRawBase64(bodyLines.join(''), 'header') });
  }
}

function unwrapFileKey(stanzas: readonly Stanza[], identities: readonly AgeIdentity[]): Buffer {
  const x25519 = stanzas.filter((stanza) => stanza.type === 'X25519');
  if (x25519.length === 0) {
    const types = [...new Set(stanzas.map((stanza) => stanza.type))].join(', ') || 'none';
    throw new AgeDecryptError(`no X25519 recipient in the file (recipient types: ${types}; passphrase and plugin recipients are not supported)`);
  }
  for (const stanza of x25519) {
    if (stanza.args.length !== 1 || stanza.body.length !== 32) throw new AgeDecryptError('malformed X25519 stanza');
    const share = decodeRawBase64(stanza.args[0]!, 'X25519 stanza');
    if (share.length !== 32) throw new AgeDecryptError('malformed X25519 stanza');
    for (const identity of identities) {
      const fileKey = tryUnwrap(share, stanza.body, identity);
      if (fileKey) return fileKey;
    }
  }
  throw new AgeDecryptError('no identity matched (the file is not encrypted to any key in the key file)');
}

function tryUnwrap(share: Buffer, body: Buffer, identity: AgeIdentity): Buffer | null {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: identity.privateKey, publicKey: x25519PublicKey(share) });
  } catch {
    return null;
  }
  if (shared.every((byte) => byte === 0)) return null;
  const wrapKey = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([share, identity.publicKey]), X25519_INFO, 32));
  return openChaCha(wrapKey, Buffer.alloc(12), body);
}

/** ChaCha20-Poly1305 open: the plaintext, or null when the tag does not verify. */
function openChaCha(key: Buffer, nonce: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < TAG_SIZE) return null;
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE)), decipher.final()]);
  } catch {
    return null;
  }
}

function decryptPayload(payload: Buffer, fileKey: Buffer): Buffer {
  if (payload.length < 16) throw new AgeDecryptError('truncated payload');
  const key = Buffer.from(hkdfSync('sha256', fileKey, payload.subarray(0, 16), 'payload', 32));
  const chunks: Buffer[] = [];
  let offset = 16;
  for (let counter = 0; ; counter += 1) {
    const remaining = payload.length - offset;
    const last = remaining <= CHUNK_SIZE + TAG_SIZE;
    const nonce = Buffer.alloc(12);
    nonce.writeUIntBE(counter, 5, 6);
    if (last) nonce[11] = 1;
    const sealed = payload.subarray(offset, offset + Math.min(remaining, CHUNK_SIZE + TAG_SIZE));
    const plaintext = openChaCha(key, nonce, sealed);
    if (!plaintext) throw new AgeDecryptError('payload authentication failed (the file was altered or truncated)');
    if (last && plaintext.length === 0 && counter > 0) throw new AgeDecryptError('payload ends with an empty chunk');
    chunks.push(plaintext);
    offset += sealed.length;
    if (last) return Buffer.concat(chunks);
  }
}
