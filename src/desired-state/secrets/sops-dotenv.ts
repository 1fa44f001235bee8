import type { AgeIdentity } from './age-identity.js';
import { decryptSopsTree, SopsDecryptError, type SopsLeaf, type SopsMetadata } from './sops-tree.js';

// SOPS's dotenv format (getsops/sops stores/dotenv): one `KEY=value` per line, split at the first '=',
// newlines inside a value written as `\n`; `#` lines are comments (sops encrypts them too; they are
// dropped here); the metadata is flattened into `sops_*` keys (`sops_age__list_0__map_enc`, `sops_mac`,
// `sops_lastmodified`, ...). Decryption gives the text `sops decrypt` would print, line for line (a
// metadata or comment line becomes an empty one, so line numbers still point into the file), which the
// loader then reads as a `.env` file.

const METADATA_LINE = /^sops_(version|lastmodified|mac)=/m;
const AGE_KEY = /^age__list_(\d+)__map_enc$/;

/** Whether `text` is a file sops wrote in dotenv format. */
export function isSopsDotenv(text: string): boolean {
  return METADATA_LINE.test(text);
}

interface ParsedLine {
  line: number;
  key: string;
  value: string;
}

export function decryptSopsDotenv(text: string, identities: readonly AgeIdentity[]): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const entries: ParsedLine[] = [];
  const metadata = new Map<string, string>();
  for (const [index, line] of lines.entries()) {
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals < 0) throw new SopsDecryptError(`line ${index + 1}: not KEY=value`);
    const key = line.slice(0, equals);
    const value = line.slice(equals + 1).replaceAll('\\n', '\n');
    if (key.startsWith('sops_')) metadata.set(key.slice('sops_'.length), value);
    else entries.push({ line: index, key, value });
  }
  const unsupported = ['encrypted_comment_regex', 'unencrypted_comment_regex'].filter((key) => metadata.has(key));
  if (unsupported.length > 0) throw new SopsDecryptError(`sops_${unsupported[0]} is not supported`);
  const leaves: SopsLeaf[] = entries.map((entry) => ({ path: [entry.key], value: entry.value }));
  const values = decryptSopsTree(leaves, metadataOf(metadata), identities);
  const output = lines.map(() => '');
  entries.forEach((entry, index) => {
    output[entry.line] = `${entry.key}=${values[index]!.replaceAll('\n', '\\n')}`;
  });
  return output.join('\n');
}

function metadataOf(flat: ReadonlyMap<string, string>): SopsMetadata {
  const ageKeys = [...flat.entries()]
    .map(([key, value]) => ({ match: AGE_KEY.exec(key), value }))
    .filter((entry): entry is { match: RegExpExecArray; value: string } => entry.match !== null)
    .sort((left, right) => Number(left.match[1]) - Number(right.match[1]))
    .map((entry) => entry.value);
  const optional = (key: string) => (flat.get(key) ? { [camel(key)]: flat.get(key)! } : {});
  return {
    ageEncryptedKeys: ageKeys,
    mac: flat.get('mac') ?? '',
    lastModified: flat.get('lastmodified') ?? '',
    ...optional('unencrypted_suffix'),
    ...optional('encrypted_suffix'),
    ...optional('unencrypted_regex'),
    ...optional('encrypted_regex'),
    macOnlyEncrypted: flat.get('mac_only_encrypted') === 'true',
  };
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}
