import { StrategyFailure, displayCommand, lastLines, type StrategyContext, type StrategyOutcome } from './strategy.js';

// exec: run the dumper in the service's container and stream its stdout into the artifact.

export async function execBackup(context: StrategyContext): Promise<StrategyOutcome> {
  const { definition } = context;
  const command = definition.command!;
  const result = await context.engine.exec(context.container!.id, { command, user: definition.user, stdout: context.sink, signal: context.signal });
  if (result.exitCode !== 0) {
    const detail = lastLines(result.stderr);
    throw new StrategyFailure(`${displayCommand(command)} exited with code ${result.exitCode}${detail ? `: ${detail}` : ''}`, result.exitCode);
  }
  return { exitStatus: 0, details: { command, verifyCommand: definition.verifyCommand, restoreCommand: definition.restoreCommand } };
}
