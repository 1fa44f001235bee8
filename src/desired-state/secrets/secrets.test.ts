import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decryptAge, isAgeFile } from './age-decrypt.js';
import { parseAgeIdentities, type AgeIdentity } from './age-identity.js';
import { isOwnerOnly } from './private-file.js';
import { withoutQuotedText } from './project-dotenv.js';
import { decryptSopsDotenv, isSopsDotenv } from './sops-dotenv.js';
import { encryptSopsDotenv, TESTDATA, TEST_ONLY_AGE_KEY } from './sops-dotenv.test-support.js';
import { decryptSopsTree } from './sops-tree.js';

function identitiesOf(text: string): AgeIdentity[] {
  const parsed = parseAgeIdentities(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.identities;
}
const identities = identitiesOf(TEST_ONLY_AGE_KEY);
const fixture = (name: string) => readFileSync(join(TESTDATA, name));
const secretKeyLine = TEST_ONLY_AGE_KEY.split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-'))!;

describe('age files made by Debian age', () => {
  it.each([
    ['binary', 'env.age'],
    ['armored (-a)', 'env.armored.age'],
  ])('a %s file must decrypt to the plaintext', (_kind, name) => {
    expect(decryptAge(fixture(name), identities).toString()).toBe(fixture('plain.env').toString());
  });

  it('a file of more than one 64 KiB chunk must decrypt whole', () => {
    const text = decryptAge(fixture('big.env.age'), identities).toString();
    expect(text).toBe(`BIG=${'x'.repeat(70_000)}`);
  });

  it.each([
    ['encrypted to another recipient', () => fixture('other-recipient.env.age'), /no identity matched/],
    ['with its payload altered', () => Buffer.concat([fixture('env.age').subarray(0, -1), Buffer.from([fixture('env.age').at(-1)! ^ 1])]), /payload authentication failed/],
    ['with its header MAC altered', () => Buffer.from(fixture('env.age').toString('latin1').replace(/--- (.)/, (_m, c: string) => `--- ${c === 'A' ? 'B' : 'A'}`), 'latin1'), /header MAC mismatch/],
    ['that is not age at all', () => Buffer.from('KEY=value\n'), /not an age file/],
  ])('a file %s must be refused, and the message must hold no key', (_case, content, message) => {
    let error: Error | undefined;
    try {
      decryptAge(content(), identities);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(secretKeyLine.slice(16, 40));
  });

  it.each([
    ['age-encryption.org/v1\n-> X25519 abc\n', true],
    ['-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n', true],
    ['\n  -----BEGIN AGE ENCRYPTED FILE-----\n', true],
    ['PASSWORD=age-encryption.org/v1\n', false],
    ['# age-encryption.org/v1\n', false],
  ])('isAgeFile(%j) must be %s', (text, expected) => {
    expect(isAgeFile(Buffer.from(text))).toBe(expected);
  });
});

describe('age key files', () => {
  it.each([
    ['comments and blank lines around one identity', TEST_ONLY_AGE_KEY, 1],
    ['two identities', `${secretKeyLine}\n${readFileSync(join(TESTDATA, 'real-sops/helm-secrets-test.agekey'), 'utf8')}`, 2],
  ])('%s must parse', (_case, text, count) => {
    expect(identitiesOf(text)).toHaveLength(count);
  });

  it.each([
    ['a line that is not an identity', `# key\n${secretKeyLine.slice(0, -1)}x\n`, /^line 2 is not an age X25519 identity/],
    ['no identity', '# nothing\n', /holds no identity/],
    ['a public key in place of the identity', 'age19nuu8x5dpv20thfkp0nptyf33rpdcentlej3d9j95383dnu5gcksugems5\n', /^line 1 is not/],
  ])('%s must be refused without quoting the line', (_case, text, message) => {
    const parsed = parseAgeIdentities(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(message);
      expect(parsed.message).not.toContain(secretKeyLine.slice(16, 40));
      expect(parsed.message).not.toContain('age19nuu8x5d');
    }
  });
});

describe('SOPS files made by real sops', () => {
  // helm-secrets' test fixture: sops 3.7.1, one age recipient, its test-only key beside it.
  const document = parse(readFileSync(join(TESTDATA, 'real-sops/helm-secrets.age.enc.yaml'), 'utf8'));
  const realIdentities = identitiesOf(readFileSync(join(TESTDATA, 'real-sops/helm-secrets-test.agekey'), 'utf8'));
  const metadata = {
    ageEncryptedKeys: document.sops.age.map((entry: { enc: string }) => entry.enc),
    mac: document.sops.mac,
    lastModified: document.sops.lastmodified,
    unencryptedSuffix: document.sops.unencrypted_suffix,
  };
  const leaves = [
    { path: ['global_secret'], value: document.global_secret as string },
    { path: ['key'], value: document.key as string },
    { path: ['service', 'port'], value: document.service.port as string },
  ];

  it('values sealed with their key path must decrypt, and the MAC must verify', () => {
    const values = decryptSopsTree(leaves, metadata, realIdentities);
    expect(values[0]).toBe('global_age');
    expect(values[1]).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(values[2]).toBe('92');
  });

  it.each([
    ['a value moved to another key (the key path is the additional data)', () => [leaves[1]!, { ...leaves[0]!, value: leaves[1]!.value }, leaves[2]!].map((leaf, index) => (index === 0 ? { path: ['global_secret'], value: leaves[1]!.value } : leaf)), /global_secret: value does not authenticate/],
    ['a value dropped (the MAC covers every value)', () => leaves.slice(0, 2), /MAC mismatch/],
  ])('%s must be refused', (_case, altered, message) => {
    expect(() => decryptSopsTree(altered(), metadata, realIdentities)).toThrow(message);
  });

  it('a file for another key must say that no identity matched', () => {
    expect(() => decryptSopsTree(leaves, metadata, identities)).toThrow(/no identity matched/);
  });

  it("sops's own dotenv test file (PGP only) must be recognized and refused for want of an age recipient", () => {
    const text = readFileSync(join(TESTDATA, 'real-sops/sops-functional-tests.pgp.enc.env'), 'utf8');
    expect(isSopsDotenv(text)).toBe(true);
    expect(() => decryptSopsDotenv(text, identities)).toThrow(/no age recipient in the file/);
  });
});

describe('SOPS dotenv', () => {
  it('must decrypt to the text sops decrypt prints, line for line', () => {
    const file = encryptSopsDotenv([
      ['DB_PASSWORD', 'sentinel-sops-1'],
      ['MULTI', 'one\ntwo'],
      ['EMPTY', ''],
      ['PORT_unencrypted', '5432'],
    ]);
    expect(file).not.toContain('sentinel-sops-1');
    expect(decryptSopsDotenv(file, identities).split('\n').slice(0, 4)).toEqual(['DB_PASSWORD=sentinel-sops-1', 'MULTI=one\\ntwo', 'EMPTY=', 'PORT_unencrypted=5432']);
  });

  it.each([
    ['two values swapped', (file: string) => file.replace(/^A=(.*)\nB=(.*)$/m, 'A=$2\nB=$1'), /A: value does not authenticate/],
    ['an unencrypted value changed', (file: string) => file.replace('C_unencrypted=3', 'C_unencrypted=4'), /MAC mismatch/],
    ['a value added', (file: string) => `X=1\n${file}`, /X: not encrypted/],
    ['the MAC removed', (file: string) => file.replace(/^sops_mac=.*$/m, 'sops_mac='), /no MAC/],
    ['a line without =', (file: string) => `garbage\n${file}`, /line 1: not KEY=value/],
  ])('a file with %s must be refused', (_case, alter, message) => {
    const file = encryptSopsDotenv([['A', 'one'], ['B', 'two'], ['C_unencrypted', '3']]);
    expect(() => decryptSopsDotenv(alter(file), identities)).toThrow(message);
  });

  it.each([
    ['KEY=value\n', false],
    ['KEY=ENC[AES256_GCM,data:x]\nsops_version=3.9.0\n', true],
    ['sops_mac=\n', true],
    ['MY_sops_version=1\n', false],
  ])('isSopsDotenv(%j) must be %s', (text, expected) => {
    expect(isSopsDotenv(text)).toBe(expected);
  });
});

describe('owner-only files', () => {
  it.each([
    [0o100600, true],
    [0o100400, true],
    [0o100700, true],
    [0o100640, false],
    [0o100604, false],
    [0o100620, false],
    [0o100644, false],
  ])('mode %o: owner only must be %s', (mode, expected) => {
    expect(isOwnerOnly(mode)).toBe(expected);
  });
});

describe('parse problems of secret files', () => {
  it.each([
    ['invalid variable name "hunter2"', 'invalid variable name (text withheld: secret file)'],
    ['unexpected text after the closing \': "x\\"y"', "unexpected text after the closing ': (text withheld: secret file)"],
    ['missing variable name before "="', 'missing variable name before (text withheld: secret file)'],
  ])('%j must quote nothing', (message, expected) => {
    expect(withoutQuotedText(message)).toBe(expected);
  });
});
