import { resolve } from 'node:path';
import { UsageError } from '../errors/kinds.js';
import type { DesiredState, Project } from '../desired-state/model.js';
import { defaultStateDir } from '../state/state-dir.js';
import type { CliIo, CommandInput } from './command.js';
import { loadOrThrow } from './manifest-options.js';

// What suspend, resume and restart act on: `PATH [SERVICE…]`, the manifests at PATH and the services named
// (each must exist in a project there), and the state directory they share with the controller.

export const STATE_DIR_HELP = `      --state-dir DIR      the controller's state directory (default: $COMPOSELET_STATE_DIR, else
                           /var/lib/composelet for root, ~/.local/state/composelet otherwise)`;

export interface OperationTarget {
  state: DesiredState;
  /** Each project with the services named in it (empty: none was named, the whole project). */
  projects: Array<{ project: Project; services: string[] }>;
  stateDir: string;
}

export function operationTarget(input: CommandInput, io: CliIo): OperationTarget {
  const [path, ...services] = input.positionals;
  const state = loadOrThrow({ positionals: path === undefined ? [] : [path], values: input.values }, io);
  const unknown = services.filter((service) => !state.projects.some((project) => service in project.services));
  if (unknown.length > 0) {
    const known = state.projects.flatMap((project) => Object.keys(project.services)).sort();
    throw new UsageError(`no service ${unknown.map((name) => `"${name}"`).join(', ')} in ${path}: the services are ${known.join(', ')}`);
  }
  const projects = state.projects
    .map((project) => ({ project, services: services.filter((service) => service in project.services) }))
    .filter((entry) => services.length === 0 || entry.services.length > 0);
  const stateDir = resolve(io.cwd, (input.values['state-dir'] as string | undefined) ?? defaultStateDir(io.env));
  return { state, projects, stateDir };
}
