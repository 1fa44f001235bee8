import { hostname } from 'node:os';
import type { Writable } from 'node:stream';
import type { Project } from '../../desired-state/model.js';
import type { ArtifactDetails } from '../artifacts/manifest.js';
import type { BackupEngine } from '../backup-engine.js';
import type { BackupDefinition } from '../definitions/definition.js';
import type { ServiceContainer } from '../service-containers.js';

// A strategy writes the content of one artifact into a sink and says what restore will need. It fails by
// throwing; a StrategyFailure carries the dumper's exit status.

export interface StrategyContext {
  engine: BackupEngine;
  project: Project;
  definition: BackupDefinition;
  /** The service's container (running for exec and redis); null only for volume when there is none. */
  container: ServiceContainer | null;
  /** The image to use for throwaway containers. */
  image: string;
  sink: Writable;
  signal: AbortSignal;
}

export interface StrategyOutcome {
  exitStatus: number;
  details: ArtifactDetails;
}

export class StrategyFailure extends Error {
  constructor(
    message: string,
    readonly exitStatus: number | null,
  ) {
    super(message);
    this.name = 'StrategyFailure';
  }
}

export const HELPER_LABEL = 'io.composelet.backup-helper';
/** `pid@host` of the process that made the helper: a sweep removes it only once that process is gone. */
export const HELPER_OWNER_LABEL = 'io.composelet.backup-helper.owner';

/** Labels of throwaway containers, so a crash's leftovers can be found (helper-sweep.ts). */
export function helperLabels(projectName: string): Record<string, string> {
  return { [HELPER_LABEL]: projectName, [HELPER_OWNER_LABEL]: `${process.pid}@${hostname()}` };
}

/** The end of a command's stderr, for a failure message. */
export function lastLines(text: string, count = 5): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.slice(-count).join(' | ');
}

/** A command as the manifest wrote it: `sh -c STRING` shows as STRING. */
export function displayCommand(command: readonly string[]): string {
  return command.length === 3 && command[0] === 'sh' && command[1] === '-c' ? command[2]! : command.join(' ');
}
