import { basename } from 'node:path';
import type { Project } from '../../desired-state/model.js';
import { readHistory, type ArtifactRecord } from '../artifacts/history.js';
import { withDefinitionLock } from '../artifacts/lock.js';
import type { BackupEngine } from '../backup-engine.js';
import type { BackupDefinition } from '../definitions/definition.js';
import { startContainers, stopServices, type ServiceContainer } from '../service-containers.js';
import { verifyArtifact } from '../verify/verify-artifact.js';
import { dependentsDeepestFirst } from './dependents.js';
import { restoreContent, serviceAnswers } from './restore-strategies.js';

// `backup restore`: verify the artifact first (nothing is touched for a bad one), stop the services that
// depend on the target, deepest first, restore, start them again in dependency order (always, in a
// `finally`), and check that the service answers. Each step is reported with its timing.

export interface RestoreOptions {
  /** `latest` (default: the newest artifact that did not fail verification), a file name or a path. */
  from?: string;
  /** How long each restarted container may take to run (and be healthy); default 120 s. */
  readyTimeoutMs?: number;
}

export interface RestoreStep {
  step: string;
  ok: boolean;
  durationMs: number;
  detail: string;
}

export interface RestoreResult {
  ok: boolean;
  project: string;
  definition: string;
  service: string;
  artifact: string | null;
  steps: RestoreStep[];
  /** Containers of dependents stopped and started again. */
  restarted: string[];
  error: string | null;
  durationMs: number;
}

export function pickArtifact(artifacts: readonly ArtifactRecord[], from: string): ArtifactRecord | null {
  if (from === 'latest') return artifacts.find((record) => record.manifest.verification?.ok !== false) ?? null;
  const wanted = basename(from);
  return artifacts.find((record) => record.manifest.artifact === wanted) ?? null;
}

export async function restoreBackup(engine: BackupEngine, project: Project, definition: BackupDefinition, options: RestoreOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const result: RestoreResult = { ok: false, project: project.name, definition: definition.name, service: definition.service, artifact: null, steps: [], restarted: [], error: null, durationMs: 0 };
  const step = async <T>(name: string, work: () => Promise<T>, describe: (value: T) => string): Promise<T> => {
    const stepStarted = Date.now();
    try {
      const value = await work();
      result.steps.push({ step: name, ok: true, durationMs: Date.now() - stepStarted, detail: describe(value) });
      return value;
    } catch (error) {
      result.steps.push({ step: name, ok: false, durationMs: Date.now() - stepStarted, detail: (error as Error).message });
      throw error;
    }
  };
  try {
    await withDefinitionLock(definition.directory, definition.name, async () => {
      const record = pickArtifact((await readHistory(definition)).artifacts, options.from ?? 'latest');
      if (!record) throw new Error(options.from && options.from !== 'latest' ? `no artifact "${basename(options.from)}" of backup "${definition.name}"` : `backup "${definition.name}" has no artifact to restore`);
      result.artifact = record.artifactPath;
      await step('verify', async () => {
        const verification = await verifyArtifact(engine, record, { verifyCommand: definition.verifyCommand });
        if (!verification.ok) throw new Error(`the artifact does not verify: ${verification.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail}`).join('; ')}`);
        return verification;
      }, (verification) => verification.checks.map((check) => `${check.name} ok`).join(', '));
      const dependents = dependentsDeepestFirst(project, definition.service);
      let stopped: ServiceContainer[] = [];
      try {
        stopped = await step('stop dependents', () => stopServices(engine, { project, services: dependents }), (containers) => (containers.length ? containers.map((container) => container.name).join(', ') : 'none running'));
        await step('restore', () => restoreContent({ engine, project, definition, record, readyTimeoutMs }), (detail) => detail);
      } finally {
        const inOrder = [...stopped].reverse();
        await step('start dependents', () => startContainers(engine, inOrder, { timeoutMs: readyTimeoutMs }), () => (inOrder.length ? inOrder.map((container) => container.name).join(', ') : 'none to start'));
        result.restarted = inOrder.map((container) => container.name);
      }
      await step('check', () => serviceAnswers(engine, project, definition, readyTimeoutMs), (detail) => detail);
    });
    result.ok = true;
  } catch (error) {
    result.error = (error as Error).message;
  }
  result.durationMs = Date.now() - started;
  return result;
}
