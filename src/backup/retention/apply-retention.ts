import { unlink } from 'node:fs/promises';
import type { BackupDefinition } from '../definitions/definition.js';
import type { DefinitionHistory } from '../artifacts/history.js';
import { planRetention, type RetentionDecision } from './retention-policy.js';

// Retention on disk: plan over the definition's history, then delete each chosen artifact (file first,
// then its manifest, so a crash in between leaves a manifest the next run removes as a leftover). Old
// records of failed runs are trimmed to the newest few.

export const FAILURE_RECORDS_KEPT = 10;

export interface RetentionOutcome {
  decision: RetentionDecision;
  /** Paths removed (artifacts, their manifests, old failure records). */
  deleted: string[];
}

export async function applyRetention(definition: Pick<BackupDefinition, 'retention' | 'schedule'>, history: DefinitionHistory, now: Date): Promise<RetentionOutcome | null> {
  if (definition.retention === null) return null;
  const candidates = [
    ...history.artifacts.map((record) => ({ id: record.manifestPath, startedAtMs: Date.parse(record.manifest.startedAt), status: 'succeeded' as const, verified: record.manifest.verification?.ok ?? null })),
    ...history.failures.map((record) => ({ id: record.manifestPath, startedAtMs: Date.parse(record.manifest.startedAt), status: 'failed' as const, verified: null })),
  ];
  const timeZone = definition.schedule?.kind === 'cron' ? definition.schedule.timeZone : 'UTC';
  const decision = planRetention(candidates, definition.retention, { nowMs: now.getTime(), timeZone });
  const deleted: string[] = [];
  for (const manifestPath of decision.delete) {
    const record = history.artifacts.find((candidate) => candidate.manifestPath === manifestPath);
    if (!record?.artifactPath) continue;
    await unlink(record.artifactPath);
    deleted.push(record.artifactPath);
    await unlink(record.manifestPath);
    deleted.push(record.manifestPath);
  }
  for (const record of history.failures.slice(FAILURE_RECORDS_KEPT)) {
    await unlink(record.manifestPath).catch(() => undefined);
    deleted.push(record.manifestPath);
  }
  return { decision, deleted };
}
