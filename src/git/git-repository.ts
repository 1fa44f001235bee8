import { mkdir, stat } from 'node:fs/promises';
import { runGit } from './git-command.js';
import type { CheckoutLayout } from './checkouts.js';

// The bare repository under the state dir and the one fetch it does: the branch's tip, into a ref of its
// own. Automatic gc is off: the checkouts borrow its objects (clone --shared).

export const FETCHED_REF = 'refs/composelet/fetched';

export interface FetchOptions {
  url: string;
  branch: string;
  environment: Record<string, string>;
  secrets: readonly string[];
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Fetches the branch and returns its commit id. */
export async function fetchBranch(layout: CheckoutLayout, options: FetchOptions): Promise<string> {
  await ensureRepository(layout.repository);
  const common = {
    cwd: layout.repository,
    environment: options.environment,
    secrets: options.secrets,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
  await runGit({ ...common, args: ['fetch', '--quiet', '--no-tags', '--force', '--', options.url, `+refs/heads/${options.branch}:${FETCHED_REF}`] });
  return (await runGit({ ...common, args: ['rev-parse', '--verify', `${FETCHED_REF}^{commit}`] })).trim();
}

async function ensureRepository(path: string): Promise<void> {
  const present = await stat(path).then(
    () => true,
    () => false,
  );
  if (present) return;
  await mkdir(path, { recursive: true });
  await runGit({ args: ['init', '--quiet', '--bare', path] });
  await runGit({ args: ['config', 'gc.auto', '0'], cwd: path });
}
