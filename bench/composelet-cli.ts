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
      env: composeletEnvironment(dockerHost),
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

/** The user's environment for a composelet process, minus NODE_EXTRA_CA_CERTS: a machine that sets it (this
 * one does, for its package proxy) makes Node 20 read that bundle at every process start, about 200 ms
 * here before any of composelet's code runs, and composelet makes no TLS connection to a unix socket. */
export function composeletEnvironment(dockerHost?: string): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  delete environment['NODE_EXTRA_CA_CERTS'];
  if (dockerHost !== undefined) environment['DOCKER_HOST'] = dockerHost;
  return environment;
}
