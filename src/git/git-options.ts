import { isAbsolute, normalize, resolve } from 'node:path';
import { parseDuration } from '../desired-state/syntax/duration.js';
import { UsageError } from '../errors/kinds.js';
import type { GitCredentials } from './git-auth.js';
import { parseDeployWindow, type DeployWindow } from './deploy-window.js';

// `composelet run --git URL` and its options, checked once at start: every mistake is a usage error that
// says what to do instead. Pure (paths are resolved against the given cwd, files are not read).

export interface GitDeliveryConfig {
  url: string;
  branch: string;
  /** The manifests root inside the repository ('.' for the top). */
  gitPath: string;
  /** 0: no polling, webhooks only. */
  pollMs: number;
  credentials: GitCredentials;
  webhookSecretFile: string | null;
  /** `--require-signed-commits --git-allowed-signers FILE`: only commits git verifies against it (null: any). */
  allowedSignersFile?: string | null;
  /** `--deploy-window` (repeatable): new commits are put in force only inside one (none: always). */
  deployWindows?: DeployWindow[];
}

export const GIT_ONLY_OPTIONS = ['branch', 'git-path', 'poll', 'git-ssh-key', 'git-known-hosts', 'git-token-file', 'webhook-secret-file', 'require-signed-commits', 'git-allowed-signers', 'deploy-window'] as const;

export const GIT_RUN_OPTIONS = {
  git: { type: 'string' },
  branch: { type: 'string' },
  'git-path': { type: 'string' },
  poll: { type: 'string' },
  'git-ssh-key': { type: 'string' },
  'git-known-hosts': { type: 'string' },
  'git-token-file': { type: 'string' },
  'webhook-secret-file': { type: 'string' },
  'require-signed-commits': { type: 'boolean' },
  'git-allowed-signers': { type: 'string' },
  'deploy-window': { type: 'string', multiple: true },
} as const;

type Values = Readonly<Record<string, unknown>>;

/** null without --git (then none of its options may be given); the checked configuration with it. */
export function parseGitRunOptions(input: { values: Values; positionals: readonly string[]; cwd: string }): GitDeliveryConfig | null {
  const text = (name: string) => (typeof input.values[name] === 'string' ? (input.values[name] as string) : undefined);
  const url = text('git');
  if (url === undefined) {
    const stray = GIT_ONLY_OPTIONS.filter((name) => input.values[name] !== undefined);
    if (stray.length > 0) throw new UsageError(`${stray.map((name) => `--${name}`).join(', ')}: only with --git URL`);
    return null;
  }
  if (input.positionals.length > 0) {
    throw new UsageError(`MANIFESTS_ROOT (${input.positionals.join(' ')}) and --git are mutually exclusive: the manifests come from the repository (use --git-path for a directory inside it)`);
  }
  checkUrl(url);
  const branch = text('branch') ?? 'main';
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..') || branch.startsWith('-') || branch.startsWith('/') || branch.endsWith('/')) {
    throw new UsageError(`--branch: "${branch}" is not a branch name`);
  }
  const gitPath = normalize(text('git-path') ?? '.').replace(/\/+$/, '') || '.';
  if (isAbsolute(gitPath) || gitPath === '..' || gitPath.startsWith('../')) {
    throw new UsageError(`--git-path: "${text('git-path')}" must be a directory inside the repository (relative, no ..)`);
  }
  const pollMs = pollDuration(text('poll'));
  const file = (name: string) => (text(name) === undefined ? undefined : resolve(input.cwd, text(name)!));
  const credentials: GitCredentials = {
    ...(file('git-ssh-key') ? { sshKeyFile: file('git-ssh-key')! } : {}),
    ...(file('git-known-hosts') ? { knownHostsFile: file('git-known-hosts')! } : {}),
    ...(file('git-token-file') ? { tokenFile: file('git-token-file')! } : {}),
  };
  if (credentials.sshKeyFile && !credentials.knownHostsFile) {
    throw new UsageError('--git-ssh-key needs --git-known-hosts FILE: host keys are always checked (ssh-keyscan HOST > FILE, then verify it)');
  }
  const webhookSecretFile = file('webhook-secret-file') ?? null;
  if (pollMs === 0 && webhookSecretFile === null) {
    throw new UsageError('--poll 0 means webhooks only, which needs --webhook-secret-file FILE');
  }
  const allowedSignersFile = file('git-allowed-signers') ?? null;
  const requireSigned = input.values['require-signed-commits'] === true;
  if (requireSigned && allowedSignersFile === null) {
    throw new UsageError('--require-signed-commits needs --git-allowed-signers FILE (lines "PRINCIPAL KEY-TYPE KEY", see ssh-keygen(1) ALLOWED SIGNERS)');
  }
  if (!requireSigned && allowedSignersFile !== null) throw new UsageError('--git-allowed-signers: only with --require-signed-commits');
  const windowTexts = input.values['deploy-window'];
  const deployWindows = (Array.isArray(windowTexts) ? (windowTexts as string[]) : typeof windowTexts === 'string' ? [windowTexts] : []).map(parseDeployWindow);
  return { url, branch, gitPath, pollMs, credentials, webhookSecretFile, allowedSignersFile, deployWindows };
}

function checkUrl(url: string): void {
  const scp = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/.test(url);
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    if (!scp && !isAbsolute(url)) throw new UsageError(`--git: "${url}" is not a repository URL (https://, ssh://, git://, user@host:path or an absolute path)`);
  }
  if (parsed === null) return;
  if (!['https:', 'http:', 'ssh:', 'git:', 'file:'].includes(parsed.protocol)) {
    throw new UsageError(`--git: unsupported scheme ${parsed.protocol} (https://, ssh://, git:// or file://)`);
  }
  if (parsed.password !== '') {
    // Never echo the URL: it holds the password.
    throw new UsageError(`--git: the URL holds a password or token; put it in a file and pass --git-token-file FILE instead`);
  }
}

function pollDuration(value: string | undefined): number {
  if (value === undefined) return 60_000;
  if (value.trim() === '0') return 0;
  const parsed = parseDuration(value);
  if (!parsed.ok || parsed.value < 1_000_000_000) throw new UsageError(`--poll: expected 0 or a duration of at least 1s, got "${value}"`);
  return Math.round(parsed.value / 1_000_000);
}
