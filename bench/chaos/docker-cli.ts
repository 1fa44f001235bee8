import { execFile } from 'node:child_process';

// The docker CLI, for what the engine port does not offer (pause, unpause) and for reading a file inside a
// container (exec with its output). It talks to DOCKER_HOST like everything else in the run.

export function docker(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', [...args], { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')} failed: ${stderr.trim() || error.message}`, { cause: error }));
      else resolve(stdout);
    });
  });
}
