import { parseArgs } from 'node:util';
import { write, type CliIo } from './command.js';
import { commands } from './commands/index.js';
import { composeletVersion } from '../meta/version.js';

// Parses the command line, runs the command, and turns errors into one clear report and an exit code:
// 0 success, 1 error (invalid manifest, unreachable engine, usage), commands may use 2 for "changes".
// Only the named command's module is loaded (commands/index.ts), so --help and --version load almost
// nothing and a one-shot command loads only what it uses.

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
  const entry = commands.find((candidate) => candidate.name === name);
  if (!entry) {
    write(io.stderr, `composelet: unknown command "${name}"\n\n${topLevelHelp()}`);
    return 1;
  }
  const command = await entry.load();
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
    return reportError(error, command.name, io);
  }
}

// By kind, not class: errors/kinds.js belongs to the commands, and this module stays light.
function reportError(error: unknown, commandName: string, io: CliIo): number {
  const kind = (error as { kind?: string } | null)?.kind;
  if (kind === 'invalid-manifest') {
    write(io.stderr, `composelet ${commandName}: ${(error as Error).message}`);
    write(io.stderr, 'nothing was changed');
    return 1;
  }
  if (kind === 'usage' || (error as { code?: string } | null)?.code?.startsWith('ERR_PARSE_ARGS')) {
    write(io.stderr, `composelet ${commandName}: ${(error as Error).message}\nRun 'composelet ${commandName} --help' for usage.`);
    return 1;
  }
  if (kind === 'engine-unavailable' || kind === 'engine-request') {
    write(io.stderr, `composelet ${commandName}: ${(error as Error).message}`);
    return 1;
  }
  write(io.stderr, `composelet ${commandName}: unexpected error: ${(error as Error | null)?.stack ?? String(error)}`);
  return 1;
}
