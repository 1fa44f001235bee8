import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The repository a test pushes to: a bare `origin.git` (what the servers serve) and a work tree the test
// commits in. `commit({ 'shop/compose.yaml': text })` writes files, commits and pushes; returns the sha.

export interface TestRepository {
  /** The directory holding origin.git (a server's base path). */
  baseDirectory: string;
  /** `<baseDirectory>/origin.git`. */
  bareRepository: string;
  /** `signingKey`: an ssh private key file the commit is signed with (gpg.format=ssh). */
  commit(files: Record<string, string | null>, message?: string, options?: { signingKey?: string }): string;
  remove(): void;
}

const GIT_ENVIRONMENT = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

export function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, { cwd, env: GIT_ENVIRONMENT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function createTestRepository(options: { branch?: string } = {}): TestRepository {
  const branch = options.branch ?? 'main';
  const baseDirectory = mkdtempSync(join(tmpdir(), 'composelet-git-origin-'));
  const bareRepository = join(baseDirectory, 'origin.git');
  const workTree = join(baseDirectory, 'work');
  git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, bareRepository]);
  git(['config', 'http.receivepack', 'false'], bareRepository);
  git(['init', '--quiet', `--initial-branch=${branch}`, workTree]);
  git(['remote', 'add', 'origin', bareRepository], workTree);
  let count = 0;
  return {
    baseDirectory,
    bareRepository,
    commit(files, message, options = {}) {
      count += 1;
      for (const [path, content] of Object.entries(files)) {
        const file = join(workTree, path);
        if (content === null) {
          rmSync(file, { force: true });
          continue;
        }
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      git(['add', '-A'], workTree);
      const signing = options.signingKey ? ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${options.signingKey}`] : [];
      git([...signing, 'commit', '--quiet', '--allow-empty', ...(options.signingKey ? ['-S'] : []), '-m', message ?? `commit ${count}`], workTree);
      git(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], workTree);
      return git(['rev-parse', 'HEAD'], workTree);
    },
    remove() {
      rmSync(baseDirectory, { recursive: true, force: true });
    },
  };
}
