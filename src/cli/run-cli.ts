import { parseArgs } from 'node:util';
import { InvalidManifestError, UsageError } from '../errors/kinds.js';
import { write, type CliIo, type Command } from './command.js';
import { commands } from './commands/index.js';
import { composeletVersion } from '../meta/version.js';

// Parses the command line, runs the command, and turns errors into one clear report and an exit code:
// 0 success, 1 error (invalid manifest, unreachable engine, usage), commands may use 2 for "changes".

export const VERSION = composeletVersion();

export function topLevelHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return `composelet ${VERSION}: a reconciling controller for Docker Compose

Usage: composelet COMMAND [options]

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Run 'composelet COMMAND --help' for a command's options.`;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    write(io.stdout, topLevelHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-V') {
    write(io.stdout, VERSION);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    write(io.stderr, `composelet: unknown command "${name}"\n\n${topLevelHelp()}`);
    return 1;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      write(io.stdout, command.help);
      return 0;
    }
    return await command.run({ positionals: parsed.positionals, values: parsed.values }, io);
  } catch (error) {
    return reportError(error, command, io);
  }
}

function reportError(error: unknown, command: Command, io: CliIo): number {
  if (error instanceof InvalidManifestError) {
    write(io.stderr, `composelet ${command.name}: ${error.message}`);
    write(io.stderr, 'nothing was changed');
    return 1;
  }
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    write(io.stderr, `composelet ${command.name}: ${(error as Error).message}\nRun 'composelet ${command.name} --help' for usage.`);
    return 1;
  }
  const kind = (error as { kind?: string }).kind;
  if (kind === 'engine-unavailable' || kind === 'engine-request') {
    write(io.stderr, `composelet ${command.name}: ${(error as Error).message}`);
    return 1;
  }
  write(io.stderr, `composelet ${command.name}: unexpected error: ${(error as Error).stack ?? String(error)}`);
  return 1;
}
