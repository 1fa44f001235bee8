import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port.js';

// Debian's openssh-server on 127.0.0.1 at a free port, with a throwaway host key and a throwaway client
// key in a temp dir: the test user logs in with the client key only, and the client checks the host key
// against `knownHostsFile` (strictly). URLs are ssh://<user>@127.0.0.1:<port>/<absolute path>.

export const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  url(repositoryPath: string): string;
  clientKeyFile: string;
  knownHostsFile: string;
  /** A known_hosts file with another host key for this address (a man in the middle, as the client sees it). */
  wrongKnownHostsFile: string;
  stop(): Promise<void>;
}

export async function startSshServer(): Promise<SshServer> {
  const directory = mkdtempSync(join(tmpdir(), 'composelet-sshd-'));
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'composelet-test', '-f', file]);
  const hostKey = join(directory, 'host_key');
  const otherHostKey = join(directory, 'other_host_key');
  const clientKey = join(directory, 'client_key');
  keygen(hostKey);
  keygen(otherHostKey);
  keygen(clientKey);
  const authorizedKeys = join(directory, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  const port = await freePort();
  const hostLine = (publicKeyFile: string) => `[127.0.0.1]:${port} ${readFileSync(publicKeyFile, 'utf8').split(' ').slice(0, 2).join(' ')}\n`;
  const knownHostsFile = join(directory, 'known_hosts');
  const wrongKnownHostsFile = join(directory, 'wrong_known_hosts');
  writeFileSync(knownHostsFile, hostLine(`${hostKey}.pub`));
  writeFileSync(wrongKnownHostsFile, hostLine(`${otherHostKey}.pub`));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const config = join(directory, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      `PidFile ${join(directory, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: 'ignore' });
  await waitForPort(port);
  const user = userInfo().username;
  return {
    url: (repositoryPath) => `ssh://${user}@127.0.0.1:${port}${repositoryPath}`,
    clientKeyFile: clientKey,
    knownHostsFile,
    wrongKnownHostsFile,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
