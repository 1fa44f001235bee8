import { describe, expect, it } from 'vitest';
import { parseGitRunOptions } from './git-options.js';

const parse = (values: Record<string, unknown>, positionals: string[] = []) => parseGitRunOptions({ values, positionals, cwd: '/srv' });

describe('run --git options', () => {
  it('without --git they must be null', () => {
    expect(parse({}, ['/srv/manifests'])).toBeNull();
  });

  it('the defaults must be branch main, the top of the repository and a 60 s poll', () => {
    expect(parse({ git: 'https://git.example/ops/platform.git' })).toEqual({
      url: 'https://git.example/ops/platform.git',
      branch: 'main',
      gitPath: '.',
      pollMs: 60_000,
      credentials: {},
      webhookSecretFile: null,
      allowedSignersFile: null,
      deployWindows: [],
    });
  });

  it('files must be resolved against the working directory', () => {
    expect(parse({ git: 'ssh://git@host/repo', 'git-ssh-key': 'keys/id', 'git-known-hosts': '/etc/kh', 'git-path': 'stacks/', poll: '15s' })).toMatchObject({
      gitPath: 'stacks',
      pollMs: 15_000,
      credentials: { sshKeyFile: '/srv/keys/id', knownHostsFile: '/etc/kh' },
    });
  });

  it.each([
    ['a MANIFESTS_ROOT as well', { git: 'https://h/r.git' }, ['/srv/m'], /mutually exclusive/],
    ['a git option without --git', { branch: 'main' }, ['/srv/m'], /--branch: only with --git URL/],
    ['a password in the URL', { git: 'https://user:s3cretToken@h/r.git' }, [], /--git-token-file/],
    ['an unsupported scheme', { git: 'ftp://h/r.git' }, [], /unsupported scheme/],
    ['an SSH key without known hosts', { git: 'ssh://git@h/r', 'git-ssh-key': 'k' }, [], /--git-known-hosts/],
    ['a branch that is no branch name', { git: 'https://h/r.git', branch: 'a..b' }, [], /not a branch name/],
    ['a git path outside the repository', { git: 'https://h/r.git', 'git-path': '../etc' }, [], /inside the repository/],
    ['an absolute git path', { git: 'https://h/r.git', 'git-path': '/etc' }, [], /inside the repository/],
    ['a poll shorter than a second', { git: 'https://h/r.git', poll: '10ms' }, [], /--poll/],
    ['poll 0 without a webhook secret', { git: 'https://h/r.git', poll: '0' }, [], /webhook-secret-file/],
    ['signed commits required without allowed signers', { git: 'https://h/r.git', 'require-signed-commits': true }, [], /--require-signed-commits needs --git-allowed-signers FILE/],
    ['allowed signers without the requirement', { git: 'https://h/r.git', 'git-allowed-signers': 'signers' }, [], /--git-allowed-signers: only with --require-signed-commits/],
    ['a deploy window that does not parse', { git: 'https://h/r.git', 'deploy-window': ['Mon-Fry 06:00-20:00'] }, [], /--deploy-window "Mon-Fry 06:00-20:00": unknown day "Fry"/],
  ])('%s must be a usage error', (_case, values, positionals, message) => {
    expect(() => parse(values, positionals)).toThrow(message);
  });

  it('the refusal of a URL with a password must not repeat it', () => {
    expect(() => parse({ git: 'https://user:s3cretToken@h/r.git' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cretToken') }));
  });

  it('poll 0 with a webhook secret means webhooks only', () => {
    expect(parse({ git: 'git@host:ops/repo.git', poll: '0', 'webhook-secret-file': 'hook' })).toMatchObject({ pollMs: 0, webhookSecretFile: '/srv/hook' });
  });

  it('signed commits and deploy windows must be read, the signers file resolved against the working directory', () => {
    expect(
      parse({ git: 'https://h/r.git', 'require-signed-commits': true, 'git-allowed-signers': 'etc/signers', 'deploy-window': ['Mon-Fri 06:00-20:00 Europe/Berlin', 'Sat 10:00-12:00'] }),
    ).toMatchObject({
      allowedSignersFile: '/srv/etc/signers',
      deployWindows: [
        { text: 'Mon-Fri 06:00-20:00 Europe/Berlin', timeZone: 'Europe/Berlin' },
        { text: 'Sat 10:00-12:00', timeZone: 'UTC' },
      ],
    });
  });
});
