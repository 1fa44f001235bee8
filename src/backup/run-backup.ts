import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Project } from '../desired-state/model.js';
import { composeletVersion } from '../meta/version.js';
import { createRedactor } from '../redaction/redact.js';
import { imageFor } from '../actuators/container-spec.js';
import { SPEC_HASH } from '../reconciler/labels.js';
import { commitArtifact, destinationFullMessage, createArtifactFile } from './artifacts/artifact-file.js';
import { readHistory } from './artifacts/history.js';
import { BackupBusyError, withDefinitionLock } from './artifacts/lock.js';
import { writeJsonAtomically, type ArtifactManifest, type VerificationRecord } from './artifacts/manifest.js';
import { artifactFileName, failureFileName } from './artifacts/naming.js';
import type { BackupEngine } from './backup-engine.js';
import type { BackupDefinition } from './definitions/definition.js';
import { runHooks } from './hooks.js';
import { removeLeftovers } from './leftovers.js';
import { applyRetention, type RetentionOutcome } from './retention/apply-retention.js';
import { targetContainer, type ServiceContainer } from './service-containers.js';
import { runStrategy } from './strategies/run-strategy.js';
import { StrategyFailure } from './strategies/strategy.js';
import { verifyArtifact } from './verify/verify-artifact.js';

// One backup run: under the definition's lock, remove a killed run's leftovers, run the pre hooks, the
// strategy into a partial file, the post hooks; then either commit the artifact with its manifest, verify
// it and apply retention, or remove the partial file and record the failure. Never throws for a failed
// backup: the result says what happened, for logs, metrics, the audit log and the drift report.

export interface RunBackupOptions {
  trigger?: ArtifactManifest['trigger'];
  /** Verify the artifact after writing it (default true). */
  verify?: boolean;
  /** Apply the definition's retention after a good run (default true). */
  retention?: boolean;
  signal?: AbortSignal;
  now?: () => Date;
  /** Applied to error messages and warnings (a dumper's stderr may hold a connection string). */
  redact?: (text: string) => string;
}

export interface BackupResult {
  ok: boolean;
  project: string;
  definition: string;
  service: string;
  strategy: BackupDefinition['strategy'];
  trigger: ArtifactManifest['trigger'];
  /** The artifact under its final name; null when the run failed. */
  artifactPath: string | null;
  /** The artifact's manifest, or the record of the failed run. */
  manifestPath: string | null;
  manifest: ArtifactManifest | null;
  verification: VerificationRecord | null;
  retention: RetentionOutcome | null;
  /** Leftovers of killed runs removed before this one. */
  cleaned: string[];
  warnings: string[];
  error: string | null;
  durationMs: number;
}

export async function runBackup(engine: BackupEngine, project: Project, definition: BackupDefinition, options: RunBackupOptions = {}): Promise<BackupResult> {
  const clock = options.now ?? (() => new Date());
  const redact = options.redact ?? createRedactor().text;
  const started = Date.now();
  const base: BackupResult = {
    ok: false, project: project.name, definition: definition.name, service: definition.service, strategy: definition.strategy, trigger: options.trigger ?? 'manual',
    artifactPath: null, manifestPath: null, manifest: null, verification: null, retention: null, cleaned: [], warnings: [], error: null, durationMs: 0,
  };
  try {
    await mkdir(definition.directory, { recursive: true });
    const result = await withDefinitionLock(definition.directory, definition.name, () => attempt(engine, project, definition, { ...options, redact }, clock, base));
    return { ...result, durationMs: Date.now() - started };
  } catch (error) {
    const message = error instanceof BackupBusyError ? error.message : `backup ${definition.name}: ${(error as Error).message}`;
    return { ...base, error: redact(message), durationMs: Date.now() - started };
  }
}

async function attempt(engine: BackupEngine, project: Project, definition: BackupDefinition, options: RunBackupOptions, clock: () => Date, base: BackupResult): Promise<BackupResult> {
  const result: BackupResult = { ...base, cleaned: await removeLeftovers(definition) };
  const startedAt = clock();
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(definition.timeoutMs)]) : AbortSignal.timeout(definition.timeoutMs);
  const service = project.services[definition.service]!;
  const file = await createArtifactFile(join(definition.directory, artifactFileName(definition, startedAt)), { compress: definition.compress });
  let container: ServiceContainer | null = null;
  let failure: { message: string; exitStatus: number | null } | null = null;
  let outcome: Awaited<ReturnType<typeof runStrategy>> | null = null;
  let totals: Awaited<ReturnType<typeof file.finish>> | null = null;
  try {
    container = await findContainer(engine, project.name, definition);
    const image = definition.helperImage && definition.strategy === 'volume' ? definition.helperImage : (container?.inspect.Config.Image ?? imageFor(project, service));
    try {
      const preFailures = await runHooks(engine, runningId(container), definition.pre, { kind: 'pre', user: definition.user, signal });
      if (preFailures.length > 0) throw new StrategyFailure(preFailures[0]!, null);
      signal.throwIfAborted();
      outcome = await runStrategy({ engine, project, definition, container, image, sink: file.sink, signal });
    } finally {
      // After a timeout too (they may resume a writer the pre hooks paused), with a minute of their own.
      const postFailures = await runHooks(engine, runningId(container), definition.post, { kind: 'post', user: definition.user, signal: AbortSignal.timeout(60_000) }).catch((error: unknown) => [`post hooks: ${(error as Error).message}`]);
      result.warnings.push(...postFailures.map(options.redact!));
    }
    totals = await file.finish();
  } catch (error) {
    failure = { message: options.redact!(destinationFullMessage(error, definition.directory) ?? describeFailure(error, signal)), exitStatus: error instanceof StrategyFailure ? error.exitStatus : null };
    await file.discard();
  }
  const finishedAt = clock();
  const manifest: ArtifactManifest = {
    formatVersion: 1,
    status: failure ? 'failed' : 'succeeded',
    artifact: failure ? null : artifactFileName(definition, startedAt),
    project: project.name,
    service: definition.service,
    name: definition.name,
    strategy: definition.strategy,
    preset: definition.preset,
    trigger: result.trigger,
    image: container?.inspect.Config.Image ?? imageFor(project, service),
    imageId: container?.inspect.Image ?? null,
    containerId: container?.id ?? null,
    specHash: container?.inspect.Config.Labels?.[SPEC_HASH] ?? service.specHash,
    definitionHash: definition.definitionHash,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    sha256: totals?.sha256 ?? null,
    size: totals?.size ?? null,
    contentSize: totals?.contentSize ?? null,
    compress: definition.compress,
    extension: definition.extension,
    exitStatus: failure ? failure.exitStatus : (outcome?.exitStatus ?? 0),
    error: failure?.message ?? null,
    composeletVersion: composeletVersion(),
    details: outcome?.details ?? {},
    verification: null,
  };
  if (failure) {
    const manifestPath = join(definition.directory, failureFileName(definition, startedAt));
    await writeJsonAtomically(manifestPath, manifest).catch((error: unknown) => {
      throw new Error(`${failure.message}; and its failure record could not be written: ${(error as Error).message}`);
    });
    return { ...result, manifest, manifestPath, error: failure.message };
  }
  let manifestPath: string;
  try {
    manifestPath = await commitArtifact(file, manifest);
  } catch (error) {
    // Full between the artifact and its manifest: the artifact never gets its final name.
    await file.discard();
    throw new Error(destinationFullMessage(error, definition.directory) ?? (error as Error).message);
  }
  const committed: BackupResult = { ...result, ok: true, manifest, manifestPath, artifactPath: file.finalPath };
  if (options.verify !== false) {
    const verification = await verifyArtifact(engine, { manifest, manifestPath, artifactPath: file.finalPath }, { verifyCommand: definition.verifyCommand, now: clock });
    manifest.verification = verification;
    await writeJsonAtomically(manifestPath, manifest);
    committed.verification = verification;
    if (!verification.ok) {
      committed.ok = false;
      committed.error = options.redact!(`the backup was written but does not verify: ${verification.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail}`).join('; ')}`);
      return committed;
    }
  }
  if (options.retention !== false && definition.retention) {
    try {
      committed.retention = await applyRetention(definition, await readHistory(definition), clock());
    } catch (error) {
      committed.warnings.push(`retention: ${(error as Error).message}`);
    }
  }
  return committed;
}

async function findContainer(engine: BackupEngine, projectName: string, definition: BackupDefinition): Promise<ServiceContainer | null> {
  if (definition.strategy === 'volume') {
    return targetContainer(engine, projectName, definition.service, { mustRun: false }).catch(() => null);
  }
  return targetContainer(engine, projectName, definition.service, { mustRun: definition.strategy !== 'files' });
}

function runningId(container: ServiceContainer | null): string | null {
  return container?.running ? container.id : null;
}

function describeFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason = signal.reason as Error | undefined;
    return reason?.name === 'TimeoutError' ? 'the backup took longer than its timeout and was stopped' : 'the backup was cancelled';
  }
  return (error as Error).message ?? String(error);
}
