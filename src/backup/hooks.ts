import type { BackupEngine } from './backup-engine.js';
import { displayCommand, lastLines } from './strategies/strategy.js';

// pre and post hooks: commands run in the service's container around the backup (flush a cache, pause a
// writer). A failing pre hook fails the run before anything is copied; post hooks always run after pre
// hooks ran, and their failures are reported as warnings (the backup itself is good).

export async function runHooks(engine: BackupEngine, containerId: string | null, commands: string[][], options: { kind: 'pre' | 'post'; user: string | null; signal: AbortSignal }): Promise<string[]> {
  const failures: string[] = [];
  for (const command of commands) {
    if (containerId === null) {
      failures.push(`${options.kind} hook ${displayCommand(command)}: the service has no running container`);
      if (options.kind === 'pre') break;
      continue;
    }
    const result = await engine.exec(containerId, { command, user: options.user, signal: options.signal });
    if (result.exitCode !== 0) {
      failures.push(`${options.kind} hook ${displayCommand(command)} exited with code ${result.exitCode}${result.stderr ? `: ${lastLines(result.stderr)}` : ''}`);
      if (options.kind === 'pre') break;
    }
  }
  return failures;
}
