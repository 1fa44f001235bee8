import { execFile } from 'node:child_process';

// The docker CLI, for what the engine port does not offer (pause, unpause), bound to the run's engine:
// `--host` when the run has an engine of its own, DOCKER_HOST (or the default socket) otherwise.

export type DockerCli = (args: readonly string[], options?: { timeoutMs?: number }) => Promise<string>;

export function dockerCli(dockerHost: string | null): DockerCli {
  const hostArguments = dockerHost === null ? [] : ['--host', dockerHost];
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      execFile('docker', [...hostArguments, ...args], { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`docker ${args.join(' ')} failed: ${stderr.trim() || error.message}`, { cause: error }));
        else resolve(stdout);
      });
    });
}
