import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The git commit the manifests are at (with "-dirty" when they have uncommitted changes), or null. */
export async function manifestCommitOf(directory: string): Promise<string | null> {
  try {
    const { stdout: commit } = await execFileAsync('git', ['-C', directory, 'rev-parse', 'HEAD'], { timeout: 5_000 });
    const { stdout: changes } = await execFileAsync('git', ['-C', directory, 'status', '--porcelain', '--', '.'], { timeout: 5_000 });
    return `${commit.trim()}${changes.trim() ? '-dirty' : ''}`;
  } catch {
    return null;
  }
}
