import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// How git authenticates, without a credential in any process's arguments or in the log:
// - HTTPS: GIT_ASKPASS points at a small script in the state dir that prints a user name when asked for
//   one and the token file's content when asked for a password. Only the token file's path is in the
//   environment; git reads the token from the script's stdout.
// - SSH: GIT_SSH_COMMAND names the key file (a path, not its content) with strict host key checking
//   against the given known_hosts file; host keys are never accepted on first sight.

export interface GitCredentials {
  /** `--git-ssh-key FILE`. */
  sshKeyFile?: string;
  /** `--git-known-hosts FILE`. */
  knownHostsFile?: string;
  /** `--git-token-file FILE`. */
  tokenFile?: string;
}

const ASKPASS_SCRIPT = `#!/bin/sh
# composelet: answers git's HTTPS credential prompts from the token file (never from argv or the log).
case "$1" in
  Username*) printf '%s\\n' "\${COMPOSELET_GIT_USERNAME:-x-access-token}" ;;
  *) head -n 1 "$COMPOSELET_GIT_TOKEN_FILE" ;;
esac
`;

/** Shell-quotes one word for GIT_SSH_COMMAND (which git runs through sh). */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function sshCommand(credentials: GitCredentials): string {
  const words = ['ssh', '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes'];
  if (credentials.knownHostsFile) words.push('-o', `UserKnownHostsFile=${credentials.knownHostsFile}`);
  if (credentials.sshKeyFile) words.push('-o', 'IdentitiesOnly=yes', '-i', credentials.sshKeyFile);
  return words.map((word) => (/^[A-Za-z0-9_./=:-]+$/.test(word) ? word : shellQuote(word))).join(' ');
}

/** The environment git runs with; writes the askpass script under `directory` when a token is used. */
export async function gitEnvironment(credentials: GitCredentials, directory: string): Promise<Record<string, string>> {
  const environment: Record<string, string> = { GIT_SSH_COMMAND: sshCommand(credentials) };
  if (credentials.tokenFile) {
    await mkdir(directory, { recursive: true });
    const script = join(directory, 'askpass.sh');
    await writeFile(script, ASKPASS_SCRIPT, { mode: 0o700 });
    await chmod(script, 0o700);
    environment['GIT_ASKPASS'] = script;
    environment['COMPOSELET_GIT_TOKEN_FILE'] = credentials.tokenFile;
  }
  return environment;
}

/** The secret texts (token, private key) that must never appear in an error message. */
export function secretTexts(credentials: GitCredentials): string[] {
  const texts: string[] = [];
  for (const file of [credentials.tokenFile, credentials.sshKeyFile]) {
    if (!file) continue;
    try {
      const content = readFileSync(file, 'utf8');
      texts.push(content.trim(), ...content.split('\n').map((line) => line.trim()).filter((line) => line.length >= 16 && !line.startsWith('-----')));
    } catch {
      // unreadable: git will say so, naming the path
    }
  }
  return texts;
}
