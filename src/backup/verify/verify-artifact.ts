import type { ArtifactRecord } from '../artifacts/history.js';
import type { VerificationCheck, VerificationRecord } from '../artifacts/manifest.js';
import type { BackupEngine } from '../backup-engine.js';
import { verifyCommandCheck } from './command-check.js';
import { checksumCheck, contentChecks } from './content-checks.js';
import { restoreDrill } from './restore-drill.js';

// Verifying an artifact: the checksum re-read, the content decompressed and its format read, the exec
// strategy's verify command, and, when asked, a restore drill. Stops at the first failing stage (a
// corrupt file needs no container to say so).

export interface VerifyOptions {
  drill?: boolean;
  /** The definition's verify command when it still exists (else the one recorded at backup time). */
  verifyCommand?: string[] | null;
  now?: () => Date;
}

export async function verifyArtifact(engine: BackupEngine, record: ArtifactRecord, options: VerifyOptions = {}): Promise<VerificationRecord> {
  const clock = options.now ?? (() => new Date());
  const started = Date.now();
  const { manifest } = record;
  const checks: VerificationCheck[] = [];
  const finish = (): VerificationRecord => ({ ok: checks.every((check) => check.ok), verifiedAt: clock().toISOString(), durationMs: Date.now() - started, checks });
  if (!record.artifactPath) {
    checks.push({ name: 'artifact', ok: false, detail: 'a failed run has no artifact', durationMs: 0 });
    return finish();
  }
  checks.push(await checksumCheck(record.artifactPath, manifest));
  if (!checks.every((check) => check.ok)) return finish();
  checks.push(...(await contentChecks(record.artifactPath, manifest)));
  if (!checks.every((check) => check.ok)) return finish();
  const verifyCommand = options.verifyCommand ?? manifest.details.verifyCommand ?? null;
  if (manifest.strategy === 'exec' && verifyCommand) checks.push(await verifyCommandCheck(engine, record.artifactPath, manifest, verifyCommand));
  if (options.drill && checks.every((check) => check.ok)) checks.push(await restoreDrill(engine, record.artifactPath, manifest));
  return finish();
}
