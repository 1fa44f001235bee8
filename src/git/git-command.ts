import { execFile } from 'node:child_process';

// Debian's git CLI, run with execFile: an argv array (no shell), a timeout and an abort signal from Node
// itself, and an environment we build. No wrapper library: simple-git adds credentials through URLs or
// argv and execa would add a dependency for what execFile already does. Credentials never reach argv:
// they come through GIT_ASKPASS (a script reading the token file) or GIT_SSH_COMMAND (a key file path),
// see git-auth.ts. Errors carry git's stderr with any secret text the caller names replaced.

export const GIT_TIMEOUT_MS = 120_000;

export class GitCommandError extends Error {
  readonly kind = 'git-command' as const;
  /** git's stderr, the caller's secrets replaced. */
  readonly stderr: string;
  constructor(message: string, stderr = '') {
    super(message);
    this.stderr = stderr;
  }
}

export interface GitCommandOptions {
  args: readonly string[];
  /** Working directory of git. */
  cwd?: string;
  /** Added to a minimal environment (PATH, HOME, LANG=C). */
  environment?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Texts that must never appear in an error message (the token, the key). */
  secrets?: readonly string[];
}

/** git's stdout; a GitCommandError naming the subcommand and git's last stderr lines when it fails. */
export async function runGit(options: GitCommandOptions): Promise<string> {
  return (await runGitCapturing(options)).stdout;
}

/** git's stdout and stderr (verify-commit says who signed on stderr). */
export function runGitCapturing(options: GitCommandOptions): Promise<{ stdout: string; stderr: string }> {
  const environment = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/',
    LANG: 'C',
    // Never ask on a terminal, never read the operator's or the system's git configuration (credential
    // helpers there could hand out other credentials).
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...options.environment,
  };
  const secrets = options.secrets ?? [];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...options.args],
      {
        cwd: options.cwd,
        env: environment,
        timeout: options.timeoutMs ?? GIT_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr: redactSecrets(String(stderr), secrets) });
        const detail = describeFailure(error, String(stderr));
        reject(new GitCommandError(redactSecrets(`git ${options.args[0] ?? ''} failed: ${detail}`, secrets), redactSecrets(String(stderr), secrets)));
      },
    );
  });
}

const GENERIC_LINES = ['Please make sure you have the correct access rights', 'and the repository exists.'];

function describeFailure(error: Error & { code?: unknown; killed?: boolean; signal?: unknown }, stderr: string): string {
  if (error.name === 'AbortError') return 'aborted';
  if (error.killed && error.signal === 'SIGTERM') return 'timed out';
  if (error.code === 'ENOENT') return 'the git command is not installed (apt-get install git)';
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('hint:'));
  // git's closing boilerplate after an SSH failure hides its cause ("Host key verification failed.").
  const telling = lines.filter((line) => !GENERIC_LINES.some((generic) => line.startsWith(generic)));
  return (telling.length > 0 ? telling : lines).slice(-3).join('; ') || error.message;
}

/** Every occurrence of each secret (at least 4 characters, trimmed) replaced by `<redacted>`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets.map((value) => value.trim()).filter((value) => value.length >= 4)) {
    result = result.split(secret).join('<redacted>');
  }
  return result;
}
