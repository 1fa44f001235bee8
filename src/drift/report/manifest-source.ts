import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ManifestSource } from '../model.js';

// Where the desired state came from: the path given, and when it lies in a git checkout the commit and
// whether the manifests there have uncommitted changes (`git status --porcelain -- <dir>`). No git, or
// not a checkout: git is null.

const execFileAsync = promisify(execFile);
const GIT_TIMEOUT_MS = 10_000;

export async function readManifestSource(path: string, options: { cwd?: string } = {}): Promise<ManifestSource> {
  const absolute = resolve(options.cwd ?? process.cwd(), path);
  return { path: absolute, git: await gitState(directoryOf(absolute)) };
}

function directoryOf(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

async function gitState(directory: string): Promise<ManifestSource['git']> {
  const git = async (args: string[]) =>
    (await execFileAsync('git', ['-C', directory, ...args], { timeout: GIT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 })).stdout;
  try {
    const commit = (await git(['rev-parse', 'HEAD'])).trim();
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return null;
    const status = await git(['status', '--porcelain', '--', directory]);
    return { commit, dirty: status.trim() !== '' };
  } catch {
    // git missing, not a checkout, or a repository without commits.
    return null;
  }
}
