import { readFileSync, statSync } from 'node:fs';
import { readInputBytes, statInput } from '../cache/recorded-reads.js';
import { join, resolve } from 'node:path';
import { parseAgeIdentities, type AgeIdentity } from './age-identity.js';
import { AgeDecryptError, decryptAge, isAgeFile } from './age-decrypt.js';
import { privateFileProblem } from './private-file.js';
import { decryptSopsDotenv, isSopsDotenv } from './sops-dotenv.js';
import { SopsDecryptError } from './sops-tree.js';

// Where the loader gets env files whose values are secrets: `--secrets-dir DIR` (DIR/<project>.env, outside
// the checkout, owner-only) and files encrypted in the repository (age, or SOPS dotenv with age
// recipients), decrypted in memory with the identities of `--age-key-file` (owner-only too). Whether a
// file is encrypted is read from its content, so `.env.age`, `.sops.env` and any env_file may be.
// Plaintext never reaches the disk; errors name the file and the cause, never a key or a value.

export interface SecretOptions {
  /** `--secrets-dir`: DIR/<project name>.env is read as that project's `.env`, over the checkout's. */
  secretsDir?: string;
  /** `--age-key-file`: the identities encrypted files are decrypted with. */
  ageKeyFile?: string;
}

export type EnvFileText = { ok: true; text: string; secret: boolean } | { ok: false; message: string };

export interface SecretSources {
  /** The text of an env file, decrypted when it is encrypted; `secret` when it was. */
  readEnvFile(file: string): EnvFileText;
  /** `--secrets-dir`'s file for a project (null without --secrets-dir): its path, whether it is there,
   * and a problem (mode, not a file) when there is one. */
  projectSecretFile(projectName: string): { file: string; present: boolean; problem: string | null } | null;
}

export type OpenedSecretSources = { ok: true; sources: SecretSources } | { ok: false; message: string };

export function openSecretSources(options: SecretOptions = {}, cwd = process.cwd()): OpenedSecretSources {
  let identities: AgeIdentity[] | null = null;
  if (options.ageKeyFile !== undefined) {
    const keyFile = resolve(cwd, options.ageKeyFile);
    const problem = privateFileProblem(keyFile);
    if (problem) return { ok: false, message: `--age-key-file: ${problem}` };
    const parsed = parseAgeIdentities(readFileSync(keyFile, 'utf8'));
    if (!parsed.ok) return { ok: false, message: `--age-key-file: ${keyFile}: ${parsed.message}` };
    identities = parsed.identities;
  }
  let secretsDir: string | null = null;
  if (options.secretsDir !== undefined) {
    secretsDir = resolve(cwd, options.secretsDir);
    if (!isDirectory(secretsDir)) return { ok: false, message: `--secrets-dir: ${secretsDir} is not a directory` };
  }
  return { ok: true, sources: secretSources(identities, secretsDir) };
}

/** Without options: plain files are read, encrypted ones are refused for want of a key. */
export const NO_SECRET_SOURCES: SecretSources = secretSources(null, null);

function secretSources(identities: AgeIdentity[] | null, secretsDir: string | null): SecretSources {
  return {
    readEnvFile(file) {
      const content = readInputBytes(file);
      const age = isAgeFile(content);
      const text = age ? null : content.toString('utf8');
      const sops = text !== null && isSopsDotenv(text);
      if (!age && !sops) return { ok: true, text: text!, secret: false };
      const kind = age ? 'age' : 'SOPS';
      if (!identities) return { ok: false, message: `cannot decrypt ${file}: it is ${kind}-encrypted and no --age-key-file was given` };
      try {
        return { ok: true, text: age ? decryptAge(content, identities).toString('utf8') : decryptSopsDotenv(text!, identities), secret: true };
      } catch (error) {
        if (error instanceof AgeDecryptError || error instanceof SopsDecryptError) return { ok: false, message: `cannot decrypt ${file} (${kind}): ${error.message}` };
        throw error;
      }
    },
    projectSecretFile(projectName) {
      if (secretsDir === null) return null;
      const file = join(secretsDir, `${projectName}.env`);
      try {
        statInput(file);
      } catch {
        return { file, present: false, problem: null };
      }
      return { file, present: true, problem: privateFileProblem(file) };
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
