import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState, type LoadResult } from '../load.js';
import { formatIssue } from '../manifest-issue.js';
import { openSecretSources, type SecretOptions } from './secret-sources.js';
import { encryptSopsDotenv, TESTDATA } from './sops-dotenv.test-support.js';

// A project's .env layers, from the user's side: which value a service gets, that every such value is
// .env provenance (so redacted), and what the errors say.

const COMPOSE = `services:
  app:
    image: composelet/busybox:1
    environment:
      VALUE: \${VALUE:-unset}
      GREETING: \${GREETING:-unset}
`;

interface Layers {
  dotenv?: string;
  age?: boolean;
  sops?: Array<[string, string]>;
  secretsDir?: string;
  secretsDirMode?: number;
  environment?: Record<string, string>;
  keyFile?: boolean;
}

function keyFileCopy(directory: string): string {
  const file = join(directory, 'key.txt');
  copyFileSync(join(TESTDATA, 'test-only.agekey'), file);
  chmodSync(file, 0o600);
  return file;
}

function load(layers: Layers): { result: LoadResult; directory: string; secrets: string } {
  const root = mkdtempSync(join(tmpdir(), 'composelet-secrets-'));
  const directory = join(root, 'shop');
  const secrets = join(root, 'secrets');
  mkdirSync(directory);
  mkdirSync(secrets);
  writeFileSync(join(directory, 'compose.yaml'), COMPOSE);
  if (layers.dotenv !== undefined) writeFileSync(join(directory, '.env'), layers.dotenv);
  // testdata/env.age holds DB_PASSWORD, GREETING="hello ${USER_NAME:-world}" and MULTI.
  if (layers.age) copyFileSync(join(TESTDATA, 'env.age'), join(directory, '.env.age'));
  if (layers.sops) writeFileSync(join(directory, '.sops.env'), encryptSopsDotenv(layers.sops));
  if (layers.secretsDir !== undefined) {
    writeFileSync(join(secrets, 'shop.env'), layers.secretsDir);
    chmodSync(join(secrets, 'shop.env'), layers.secretsDirMode ?? 0o600);
  }
  const options: SecretOptions = { secretsDir: secrets, ...(layers.keyFile === false ? {} : { ageKeyFile: keyFileCopy(root) }) };
  const opened = openSecretSources(options);
  if (!opened.ok) throw new Error(opened.message);
  const result = loadDesiredState(directory, { environment: layers.environment ?? {}, homeDir: root, secrets: opened.sources });
  return { result, directory, secrets };
}

function app(result: LoadResult) {
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.state.projects[0]!.services.app!;
}

describe('a project .env in layers', () => {
  it.each<[string, Layers, string]>([
    ['.env alone', { dotenv: 'VALUE=plain' }, 'plain'],
    ['.sops.env over .env', { dotenv: 'VALUE=plain', sops: [['VALUE', 'from-sops']] }, 'from-sops'],
    ['--secrets-dir over .sops.env and .env', { dotenv: 'VALUE=plain', sops: [['VALUE', 'from-sops']], secretsDir: 'VALUE=from-secrets-dir' }, 'from-secrets-dir'],
    ['the environment over every file', { dotenv: 'VALUE=plain', sops: [['VALUE', 'from-sops']], secretsDir: 'VALUE=from-secrets-dir', environment: { VALUE: 'from-shell' } }, 'from-shell'],
    ['a later layer interpolating an earlier one', { dotenv: 'BASE=base', secretsDir: 'VALUE=${BASE}-extended' }, 'base-extended'],
    ['--secrets-dir file absent: the checkout decides', { dotenv: 'VALUE=plain' }, 'plain'],
  ])('%s must give the service its value', (_case, layers, expected) => {
    expect(app(load(layers).result).environment.VALUE).toBe(expected);
  });

  it('.env.age must be decrypted and read as .env, its keys counted as .env provenance', () => {
    const service = app(load({ age: true }).result);
    expect(service.environment.GREETING).toBe('hello world');
    expect(service.fromDotenv?.environment).toContain('GREETING');
  });

  it.each<[string, Layers]>([
    ['.sops.env', { sops: [['VALUE', 'v']] }],
    ['--secrets-dir', { secretsDir: 'VALUE=v' }],
  ])('a value from %s must count as .env provenance (redacted everywhere)', (_case, layers) => {
    expect(app(load(layers).result).fromDotenv?.environment).toContain('VALUE');
  });
});

describe('secret files that cannot be used', () => {
  it('a group-readable --secrets-dir file must be refused, naming the file and its mode', () => {
    const { result, secrets } = load({ secretsDir: 'VALUE=v', secretsDirMode: 0o640 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map(formatIssue).join('\n')).toContain(`${join(secrets, 'shop.env')} is readable or writable by its group or others (mode 0640)`);
  });

  it('a world-readable --age-key-file must be refused, naming the file and its mode', () => {
    const root = mkdtempSync(join(tmpdir(), 'composelet-secrets-'));
    const key = keyFileCopy(root);
    chmodSync(key, 0o644);
    const opened = openSecretSources({ ageKeyFile: key });
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.message).toBe(`--age-key-file: ${key} is readable or writable by its group or others (mode 0644); it holds secrets: chmod 600 ${key}`);
  });

  it.each<[string, Layers, RegExp]>([
    ['without a key file', { age: true, keyFile: false }, /cannot decrypt .*\/shop\/\.env\.age: it is age-encrypted and no --age-key-file was given/],
    ['that names the project', { secretsDir: 'COMPOSE_PROJECT_NAME=other' }, /a --secrets-dir file cannot name the project/],
    ['with a line that is not KEY=value', { secretsDir: 'hunter2 secret' }, /shop\.env:1:1: invalid variable name \(text withheld: secret file\)/],
  ])('a secret file %s must be a manifest error naming it', (_case, layers, message) => {
    const { result } = load(layers);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const text = result.issues.map(formatIssue).join('\n');
      expect(text).toMatch(message);
      expect(text).not.toContain('hunter2');
    }
  });

  it('an age file for another key must be a manifest error: cannot decrypt X: no identity matched', () => {
    const { result, directory } = load({});
    copyFileSync(join(TESTDATA, 'other-recipient.env.age'), join(directory, '.env.age'));
    const opened = openSecretSources({ ageKeyFile: keyFileCopy(mkdtempSync(join(tmpdir(), 'composelet-secrets-'))) });
    if (!opened.ok) throw new Error(opened.message);
    expect(result.ok).toBe(true);
    const again = loadDesiredState(directory, { environment: {}, secrets: opened.sources });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(formatIssue(again.issues[0]!)).toContain(`cannot decrypt ${join(directory, '.env.age')} (age): no identity matched`);
  });

  it('an env_file encrypted with age must be decrypted, its keys counted as from a file', () => {
    const { directory } = load({});
    copyFileSync(join(TESTDATA, 'env.armored.age'), join(directory, 'db.env.age'));
    writeFileSync(join(directory, 'compose.yaml'), `services:\n  app:\n    image: composelet/busybox:1\n    env_file: db.env.age\n`);
    const opened = openSecretSources({ ageKeyFile: keyFileCopy(mkdtempSync(join(tmpdir(), 'composelet-secrets-'))) });
    if (!opened.ok) throw new Error(opened.message);
    const service = app(loadDesiredState(directory, { environment: {}, secrets: opened.sources }));
    expect(service.environment.DB_PASSWORD).toBe('sentinel-age-4471');
    expect(service.environmentFromFiles).toContain('DB_PASSWORD');
  });
});
