import { runCommand } from './command-runner.js';
import type { StackDirectory } from './stack-directory.js';
import type { ToolDriver } from './tool-driver.js';

// composelet as a user runs it: `node dist/cli/main.js apply DIR` (which returns once every service is
// running and healthy) and `down DIR --volumes`. The project name is the document's `name:`, so
// `composelet run DIR` finds the same project.

export interface ComposeletCliOptions {
  cliPath: string;
  projectName: string;
  directory: StackDirectory;
  timeoutMs: number;
  signal: AbortSignal;
}

export function composeletDriver(options: ComposeletCliOptions): ToolDriver {
  const { projectName, directory } = options;
  const timeoutSeconds = Math.ceil(options.timeoutMs / 1000);
  const run = async (args: string[], dockerHost?: string) =>
    runCommand(process.execPath, [options.cliPath, ...args], {
      cwd: directory.path,
      env: dockerHost === undefined ? process.env : { ...process.env, DOCKER_HOST: dockerHost },
      timeoutMs: options.timeoutMs + 30_000,
      signal: options.signal,
    });
  return {
    tool: 'composelet',
    projectName,
    directory,
    write: (document) => directory.write({ name: projectName, ...document }),
    converge: async (convergeOptions = {}) =>
      (await run(['apply', directory.path, '--timeout', `${timeoutSeconds}s`], convergeOptions.dockerHost)).durationMs,
    down: async () => {
      await run(['down', directory.path, '--volumes']);
    },
  };
}
