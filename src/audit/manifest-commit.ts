import { readManifestSource } from '../drift/report/manifest-source.js';

/** The git commit the manifests are at, with "-dirty" when they have uncommitted changes; null outside git. */
export async function manifestCommitOf(directory: string): Promise<string | null> {
  const { git } = await readManifestSource(directory);
  return git ? `${git.commit}${git.dirty ? '-dirty' : ''}` : null;
}
