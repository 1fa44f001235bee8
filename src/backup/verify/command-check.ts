import type { ArtifactManifest, VerificationCheck } from '../artifacts/manifest.js';
import type { BackupEngine } from '../backup-engine.js';
import { helperLabels, lastLines } from '../strategies/strategy.js';
import { contentStream } from './content-checks.js';

// A dump a tool can read: the exec strategy's verify command (pg_restore --list for the postgres preset)
// runs in a throwaway container of the image the backup came from, without network, fed the content on
// stdin.

export async function verifyCommandCheck(engine: BackupEngine, path: string, manifest: ArtifactManifest, command: string[]): Promise<VerificationCheck> {
  const started = Date.now();
  const name = command[0] === 'sh' ? 'verify command' : command.slice(0, 2).join(' ');
  if (!manifest.image) return { name, ok: false, detail: 'the manifest names no image to run it in', durationMs: 0 };
  try {
    const result = await engine.runThrowaway({
      image: manifest.image,
      entrypoint: [],
      command,
      stdin: contentStream(path, manifest),
      labels: helperLabels(manifest.project),
    });
    const lines = result.stdout.split('\n').filter((line) => line.trim() !== '' && !line.startsWith(';')).length;
    return result.exitCode === 0
      ? { name, ok: true, detail: `read it (${lines} line${lines === 1 ? '' : 's'} of output)`, durationMs: Date.now() - started }
      : { name, ok: false, detail: `exited with code ${result.exitCode}: ${lastLines(result.stderr || result.stdout)}`, durationMs: Date.now() - started };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, durationMs: Date.now() - started };
  }
}
