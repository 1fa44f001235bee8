import type { ParseArgsConfig } from 'node:util';

// A CLI command: its options, its help text, and a run function that gets parsed arguments and the
// process's streams (injected, so tests run commands in-process).

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CommandInput {
  positionals: string[];
  values: OptionValues;
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text, printed by `composelet <name> --help`. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** The words a first positional may be (`backup run|list|...`), for shell completion. */
  subcommands?: readonly string[];
  run(input: CommandInput, io: CliIo): Promise<number>;
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
