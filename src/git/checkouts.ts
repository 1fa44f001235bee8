import { mkdir, open, readdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { crashPointReached } from '../reconciler/execute/crash-point.js';
import { runGit } from './git-command.js';

// The checkouts under `<state-dir>/git`:
//   repo.git/            a bare repository: what was fetched
//   checkouts/<sha>/     one complete checkout per commit, made in a temporary directory and renamed into
//                        place, so a directory named for a commit is always whole
//   current -> checkouts/<sha>   the commit in force, switched by renaming a new symlink over it
// A reconcile reads through `current`, so it sees one whole commit or the next, never half of each. A
// crash at any step leaves `current` pointing at a whole checkout; leftovers (`.tmp-*`) are removed at start.
// Each checkout is a `git clone --shared` of repo.git (objects borrowed, not copied), so `git rev-parse
// HEAD` inside it names its commit for the audit log and drift reports.

export const SHA_PATTERN = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export interface CheckoutLayout {
  root: string;
  repository: string;
  checkouts: string;
  current: string;
}

export function checkoutLayout(gitStateDirectory: string): CheckoutLayout {
  return {
    root: gitStateDirectory,
    repository: join(gitStateDirectory, 'repo.git'),
    checkouts: join(gitStateDirectory, 'checkouts'),
    current: join(gitStateDirectory, 'current'),
  };
}

export function checkoutDirectory(layout: CheckoutLayout, commit: string): string {
  return join(layout.checkouts, commit);
}

/** The commit `current` points at; null before the first switch (or when it points nowhere valid). */
export async function currentCommit(layout: CheckoutLayout): Promise<string | null> {
  try {
    const commit = basename(await readlink(layout.current));
    if (!SHA_PATTERN.test(commit)) return null;
    await stat(checkoutDirectory(layout, commit));
    return commit;
  } catch {
    return null;
  }
}

/** The checkout of `commit`, made now unless it exists. */
export async function materializeCheckout(layout: CheckoutLayout, commit: string, options: { signal?: AbortSignal } = {}): Promise<string> {
  if (!SHA_PATTERN.test(commit)) throw new Error(`not a commit id: ${commit}`);
  const target = checkoutDirectory(layout, commit);
  if (await exists(target)) return target;
  await mkdir(layout.checkouts, { recursive: true });
  const temporary = join(layout.checkouts, `.tmp-${commit.slice(0, 12)}-${process.pid}-${Date.now()}`);
  const signal = options.signal ? { signal: options.signal } : {};
  try {
    await runGit({ args: ['clone', '--quiet', '--shared', '--no-checkout', layout.repository, temporary], ...signal });
    await runGit({ args: ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', commit], cwd: temporary, ...signal });
    crashPointReached('git-checkout');
    await rename(temporary, target);
    await syncDirectory(layout.checkouts);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return target;
}

/** Points `current` at the checkout of `commit` with one rename(2) of a new symlink over it. */
export async function switchCurrent(layout: CheckoutLayout, commit: string): Promise<void> {
  if (!(await exists(checkoutDirectory(layout, commit)))) throw new Error(`no checkout of ${commit} to switch to`);
  const temporary = join(layout.root, `.tmp-current-${process.pid}-${Date.now()}`);
  await symlink(join('checkouts', commit), temporary);
  crashPointReached('git-switch');
  await rename(temporary, layout.current);
  await syncDirectory(layout.root);
}

/** Removes every checkout but those kept, and leftovers of interrupted checkouts and switches. */
export async function removeCheckoutsExcept(layout: CheckoutLayout, keep: ReadonlyArray<string | null>): Promise<string[]> {
  const kept = new Set(keep.filter((commit): commit is string => commit !== null));
  const removed: string[] = [];
  for (const name of await readdir(layout.checkouts).catch(() => [] as string[])) {
    if (kept.has(name)) continue;
    await rm(join(layout.checkouts, name), { recursive: true, force: true });
    removed.push(name);
  }
  for (const name of await readdir(layout.root).catch(() => [] as string[])) {
    if (name.startsWith('.tmp-current-')) await rm(join(layout.root, name), { force: true });
  }
  return removed;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
