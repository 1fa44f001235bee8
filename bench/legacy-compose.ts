import { runCommand } from './command-runner.js';
import type { ComposeDocument } from './stack-documents.js';
import type { StackDirectory } from './stack-directory.js';
import type { ToolDriver } from './tool-driver.js';

// The legacy docker-compose (Debian's Compose v1.29) as the baseline: `docker-compose -p P -f F up -d`.
// It rejects fields newer than it (top-level `name:`, `depends_on.<svc>.restart`, deploy pids limits,
// healthcheck `start_interval`), so its copy of a stack leaves them out; the engine here (API 1.41)
// ignores start_interval anyway, and the other fields change nothing the measurements look at.

export function legacyDocument(document: ComposeDocument): ComposeDocument {
  const copy = structuredClone(document);
  delete copy['name'];
  for (const service of Object.values(copy.services)) {
    const healthcheck = service['healthcheck'] as Record<string, unknown> | undefined;
    if (healthcheck) delete healthcheck['start_interval'];
    const dependsOn = service['depends_on'];
    if (dependsOn && typeof dependsOn === 'object' && !Array.isArray(dependsOn)) {
      for (const condition of Object.values(dependsOn as Record<string, unknown>)) {
        if (condition && typeof condition === 'object') delete (condition as Record<string, unknown>)['restart'];
      }
    }
    const limits = (service['deploy'] as { resources?: { limits?: Record<string, unknown> } } | undefined)?.resources?.limits;
    if (limits) delete limits['pids'];
  }
  return copy;
}

export interface LegacyComposeOptions {
  projectName: string;
  directory: StackDirectory;
  /** Longest a converge may take before it counts as hung (1.29 has hung on large stacks here). */
  timeoutMs: number;
  signal: AbortSignal;
}

export function legacyComposeDriver(options: LegacyComposeOptions): ToolDriver {
  const { projectName, directory } = options;
  const run = async (args: string[], dockerHost?: string) =>
    runCommand('docker-compose', ['-p', projectName, '-f', directory.composeFile, ...args], {
      cwd: directory.path,
      env: legacyEnvironment(dockerHost),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
  return {
    tool: 'docker-compose',
    projectName,
    directory,
    write: (document) => directory.write(legacyDocument(document)),
    converge: async (convergeOptions = {}) => (await run(['up', '-d'], convergeOptions.dockerHost)).durationMs,
    down: async () => {
      await run(['down', '-v', '--timeout', '10']);
    },
  };
}

export async function legacyComposeVersion(): Promise<string> {
  const { stdout } = await runCommand('docker-compose', ['version', '--short'], { cwd: process.cwd(), env: legacyEnvironment(), timeoutMs: 30_000 });
  return stdout.trim();
}

/** The user's environment minus what would make docker-compose read another project or file. */
export function legacyEnvironment(dockerHost?: string): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(environment)) {
    if (key.startsWith('COMPOSE_')) delete environment[key];
  }
  // Its default of 60 s per API call makes it give up half-way on large stacks on a busy engine.
  environment['COMPOSE_HTTP_TIMEOUT'] = '600';
  if (dockerHost !== undefined) environment['DOCKER_HOST'] = dockerHost;
  return environment;
}
