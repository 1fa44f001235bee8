import type { CliIo, OptionValues } from '../../cli/command.js';
import type { DesiredState, Project } from '../../desired-state/model.js';
import { UsageError } from '../../errors/kinds.js';
import type { BackupEngine } from '../backup-engine.js';
import { DEFAULT_BACKUP_DESTINATION, type BackupDefinition } from '../definitions/definition.js';
import { resolveBackupDefinitions } from '../definitions/resolve.js';

// What every `backup` subcommand starts from: the loaded projects, their backup definitions (problems
// the schema could not see are usage errors), and a way to get the engine only when needed.

export interface BackupCliContext {
  io: CliIo & { stdin?: NodeJS.ReadableStream & { isTTY?: boolean } };
  values: OptionValues;
  /** Positionals after the subcommand and PATH. */
  targets: string[];
  projects: Array<{ project: Project; definitions: BackupDefinition[] }>;
  engine(): Promise<BackupEngine>;
  json: boolean;
}

export function definitionsOf(state: DesiredState, io: CliIo): Array<{ project: Project; definitions: BackupDefinition[] }> {
  const defaultDestination = io.env.COMPOSELET_BACKUP_DIR || DEFAULT_BACKUP_DESTINATION;
  const problems: string[] = [];
  const projects = state.projects.map((project) => {
    const resolved = resolveBackupDefinitions(project, { defaultDestination });
    problems.push(...resolved.problems.map((problem) => `project ${project.name}: ${problem.path.join('.')}: ${problem.message}`));
    return { project, definitions: resolved.definitions };
  });
  if (problems.length > 0) throw new UsageError(`invalid backup definitions:\n  ${problems.join('\n  ')}`);
  return projects;
}

/** The definitions a SERVICE|NAME argument selects (all without one); an unknown one is a usage error. */
export function selectDefinitions(context: BackupCliContext, target: string | undefined): Array<{ project: Project; definition: BackupDefinition }> {
  const all = context.projects.flatMap(({ project, definitions }) => definitions.map((definition) => ({ project, definition })));
  if (target === undefined) return all;
  const byName = all.filter(({ definition }) => definition.name === target);
  const selected = byName.length > 0 ? byName : all.filter(({ definition }) => definition.service === target);
  if (selected.length === 0) {
    const known = [...new Set(all.flatMap(({ definition }) => [definition.name, definition.service]))].sort();
    throw new UsageError(`no backup definition named "${target}" and no service "${target}" with one${known.length ? ` (known: ${known.join(', ')})` : ''}`);
  }
  return selected;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatSeconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)}s`;
}
